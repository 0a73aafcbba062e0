/// How to undo a fault, as data: journaled (and fsynced) before the fault takes effect, so that a later
/// `firedrill recover` can carry it out even though the runner that applied the fault is gone.
public struct UndoAction: Sendable, Codable, Hashable {
    /// The undo driver key, e.g. `process.resume`, `kubernetes.scale`.
    public var key: String
    public var params: JSONValue
    /// What it does, in words for the report: "SIGCONT to pid 4242".
    public var description: String

    public init(key: String, params: JSONValue, description: String) {
        self.key = key
        self.params = params
        self.description = description
    }
}
