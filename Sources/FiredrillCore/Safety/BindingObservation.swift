/// One live-context check of an environment binding: what the plan expects and what the read-only call found.
public struct BindingObservation: Sendable, Hashable {
    /// `kube-context` or `aws-account`.
    public var what: String
    public var expected: String
    /// What the call reported, or nil when it failed.
    public var found: String?
    /// The command line that was run.
    public var command: String
    /// Why the call failed, when it did.
    public var failure: String?

    public init(what: String, expected: String, found: String?, command: String, failure: String? = nil) {
        self.what = what
        self.expected = expected
        self.found = found
        self.command = command
        self.failure = failure
    }

    public var matches: Bool { found == expected }

    /// The `environment.checked` journal data.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "what": .string(what), "expected": .string(expected), "command": .string(command),
            "found": found.map { .string($0) } ?? .null, "matches": .bool(matches),
        ]
        if let failure { o["failure"] = .string(failure) }
        return .object(o)
    }

    /// One line for the console and the refusal message.
    public var summary: String {
        if let failure { return "\(what): `\(command)` failed: \(failure)" }
        return matches ? "\(what) is \(expected), as bound" : "\(what) is \(found ?? "unknown"), but the plan is bound to \(expected)"
    }
}
