/// Whether a PostgreSQL server answers, with `PQping`'s meaning: a server that answers with an error (wrong
/// password, unknown database, too many connections) is *accepting*: it is up; only "starting up / shutting
/// down / in recovery without hot standby" (SQLSTATE 57P03) counts as *rejecting*.
public enum PGPingResult: Sendable, Equatable {
    case accepting
    case rejecting(PGError)
    /// Nothing answered in time (refused, unreachable, timed out).
    case noResponse(PGError)
    /// The connection string is invalid; nothing was attempted.
    case noAttempt(PGError)

    public var isAccepting: Bool { self == .accepting }
}
