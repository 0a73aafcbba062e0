/// Settings of one `firedrill run`.
public struct RunOptions: Sendable {
    public var runDirectory: String
    public var rollbacks: RollbackPolicy
    public var notes: [String]
    public var initiator: String
    /// The run directory's lock, held for as long as the runner lives (see `ProcessLock`).
    public var lock: ProcessLock?
    /// The runner's terminal when a person sits at it: `manual` steps ask there as well as waiting for `firedrill confirm`.
    public var terminal: (any OperatorTerminal)?

    public init(runDirectory: String, rollbacks: RollbackPolicy = .always, notes: [String] = [], initiator: String) {
        self.runDirectory = runDirectory
        self.rollbacks = rollbacks
        self.notes = notes
        self.initiator = initiator
    }
}
