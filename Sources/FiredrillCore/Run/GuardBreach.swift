/// A guard saw its tolerance run out: the method is cancelled and the run aborts.
public struct GuardBreach: Error, Sendable, CustomStringConvertible {
    public var guardName: String
    public var message: String
    public var observed: JSONValue?
    public var expected: String?
    public var failures: Int

    public var description: String {
        "guard \(guardName) breached after \(failures) failure\(failures == 1 ? "" : "s"): \(message)"
    }
}

/// `limits.duration` ran out.
public struct LimitExceeded: Error, Sendable, CustomStringConvertible {
    public var limit: Duration
    /// The limit's key: `duration` or `rollbacks`.
    public var name: String = "duration"
    public var description: String { "limits.\(name) of \(DurationSyntax.format(limit)) exceeded" }
}
