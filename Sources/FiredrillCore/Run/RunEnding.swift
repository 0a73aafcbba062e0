/// How a run ended, and the exit code each ending maps to.
///
/// When more than one ending applies, the one earliest in `precedence` wins: interrupted, aborted, failed,
/// deviated, inconclusive, passed. `not-started` stands apart: nothing was injected.
public enum RunEnding: String, Sendable, Codable {
    case passed
    /// Everything that was judged held, but something the verdict depends on could not be judged: the `recovered`
    /// probe never observed an outage, the faults matched no target, or the data loss is only bounded from below
    /// by less than the objective.
    case inconclusive
    /// The hypothesis or an objective was missed.
    case deviated
    /// A guard was breached or a limit exceeded.
    case aborted
    /// A step errored.
    case failed
    /// SIGINT or SIGTERM.
    case interrupted
    /// The steady state did not hold before anything was injected, so nothing was.
    case notStarted = "not-started"

    public var exitCode: Int32 {
        switch self {
        case .passed: return 0
        case .deviated, .notStarted: return 1
        case .aborted: return 2
        case .failed: return 3
        case .inconclusive: return 5
        case .interrupted: return 130
        }
    }

    /// The endings of a run that started, strongest first.
    public static let precedence: [RunEnding] = [.interrupted, .aborted, .failed, .deviated, .inconclusive, .passed]
}

/// When rollbacks run (`--rollbacks`).
public enum RollbackPolicy: String, Sendable, Codable, CaseIterable {
    /// On every ending (the default).
    case always
    /// Only when the run did not pass.
    case onFailure = "on-failure"
    case never
}

/// How the rollback phase ended, reported on its own line.
public enum RollbackOutcome: String, Sendable, Codable {
    case rolledBack = "rolled back"
    case rollbackFailed = "rollback failed"
    case pending = "rollback pending (run firedrill recover)"
    case skipped = "rollbacks skipped"
    case nothingToRollBack = "nothing to roll back"
}
