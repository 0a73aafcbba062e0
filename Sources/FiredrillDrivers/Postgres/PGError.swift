/// A PostgreSQL failure, as a user should read it: what was attempted and against which server (never the
/// password), the server's severity and SQLSTATE when it sent them, and its primary message.
///
/// `connect to 127.0.0.1:5433 failed: FATAL: password authentication failed for user "x" (SQLSTATE 28P01)`
public struct PGError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The connection string could not be parsed.
        case invalidConninfo
        /// The connection was refused, failed, or rejected by the server (authentication, unknown database…).
        case connectFailed
        /// No connection within the connect timeout.
        case connectTimedOut
        /// The server reported an error for a query (see `sqlstate`).
        case queryFailed
        /// The connection broke during a query.
        case connectionLost
        /// The connection was closed before this call.
        case closed
        /// `scalar` found no row or no column.
        case noValue
        /// The statement needs something this client does not do (COPY).
        case unsupported
    }

    public let kind: Kind
    /// What was attempted: `connect to 127.0.0.1:5433`, `query on 127.0.0.1:5433`.
    public let operation: String
    public let sqlstate: String?
    /// `ERROR`, `FATAL` or `PANIC` when the server sent the error.
    public let severity: String?
    /// The primary message, one line.
    public let message: String
    public let detail: String?
    public let hint: String?

    public init(kind: Kind, operation: String, message: String, sqlstate: String? = nil, severity: String? = nil,
                detail: String? = nil, hint: String? = nil) {
        self.kind = kind
        self.operation = operation
        self.message = message
        self.sqlstate = sqlstate
        self.severity = severity
        self.detail = detail
        self.hint = hint
    }

    public var description: String {
        var text = "\(operation) failed: "
        if let severity { text += "\(severity): " }
        text += message
        if let sqlstate { text += " (SQLSTATE \(sqlstate))" }
        return text
    }
}
