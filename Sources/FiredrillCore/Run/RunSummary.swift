/// The result of a run, as the command prints it and the report summarises it.
public struct RunSummary: Sendable {
    public var ending: RunEnding
    public var reason: String
    public var rollback: RollbackOutcome
    public var recoveredAfterRollback: Bool?
    public var runDirectory: String
    public var events: [JournalEvent]

    public init(ending: RunEnding, reason: String, rollback: RollbackOutcome, recoveredAfterRollback: Bool?,
                runDirectory: String, events: [JournalEvent]) {
        self.ending = ending
        self.reason = reason
        self.rollback = rollback
        self.recoveredAfterRollback = recoveredAfterRollback
        self.runDirectory = runDirectory
        self.events = events
    }
}
