/// The outcome of running a probe spec once through its attempts and consecutive passes.
public struct ProbeResult: Sendable {
    public var probe: String
    public var passed: Bool
    /// The last observation's value, or nil when the driver failed.
    public var observed: JSONValue?
    /// "status 503, expected 200", or the driver error.
    public var message: String
    public var expected: String?
    public var attempts: Int
    public var duration: Duration

    public init(probe: String, passed: Bool, observed: JSONValue?, message: String, expected: String?, attempts: Int, duration: Duration) {
        self.probe = probe
        self.passed = passed
        self.observed = observed
        self.message = message
        self.expected = expected
        self.attempts = attempts
        self.duration = duration
    }

    /// The result as journal data; `role` says what the execution was for (`guard`, `recovered`…).
    public func json(role: String? = nil) -> JSONValue {
        var o: [String: JSONValue] = [
            "probe": .string(probe), "passed": .bool(passed), "message": .string(message),
            "attempts": .number(Double(attempts)), "seconds": .number(duration.seconds),
        ]
        if let observed { o["observed"] = observed }
        if let expected { o["expected"] = .string(expected) }
        if let role { o["role"] = .string(role) }
        return .object(o)
    }
}

extension Duration {
    /// The duration in seconds, as a Double.
    public var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
