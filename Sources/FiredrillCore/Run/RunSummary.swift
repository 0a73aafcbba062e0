/// The result of a run, as the command prints it and the report summarises it.
public struct RunSummary: Sendable {
    public var ending: RunEnding
    public var reason: String
    public var rollback: RollbackOutcome
    public var recoveredAfterRollback: Bool?
    public var runDirectory: String
    public var events: [JournalEvent]
    /// The first journal write that failed, if one did: the record is incomplete and the exit status says so.
    public var journalFailure: String?

    /// The exit code: the ending's, or 3 (failed) for an otherwise clean ending whose journal could not be written.
    public var exitCode: Int32 {
        guard journalFailure != nil, ending != .interrupted else { return ending.exitCode }
        return max(ending.exitCode, RunEnding.failed.exitCode)
    }

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
