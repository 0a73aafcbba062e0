/// How to undo a fault, as data: journaled (and fsynced) before the fault takes effect, so that a later
/// `firedrill recover` can carry it out even though the runner that applied the fault is gone.
public struct UndoAction: Sendable, Codable, Hashable {
    /// The undo driver key, e.g. `process.resume`, `kubernetes.scale`.
    public var key: String
    public var params: JSONValue
    /// What it does, in words for the report: "SIGCONT to pid 4242".
    public var description: String
    /// Ends something the step itself started (a command's process group), rather than reversing an effect on
    /// the target: owed in every phase, restorations included, until the step has finished.
    public var cleanup: Bool

    public init(key: String, params: JSONValue, description: String, cleanup: Bool = false) {
        self.key = key
        self.params = params
        self.description = description
        self.cleanup = cleanup
    }
}
