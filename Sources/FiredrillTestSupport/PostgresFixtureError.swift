/// Why a test PostgreSQL server could not be set up. Tests that need the server fail with this message; they
/// never skip.
public enum PostgresFixtureError: Error, Sendable, CustomStringConvertible {
    /// `initdb`/`pg_ctl` were not found in any of the places listed.
    case binariesNotFound(searched: [String])
    /// Running as root, PostgreSQL must run as another OS user, and `postgres` does not exist.
    case noPostgresUser
    case commandFailed(argv: [String], status: Int32, output: String)
    case commandTimedOut(argv: [String], seconds: Double)
    /// The server did not start; `log` is the end of its log file.
    case startFailed(port: Int, log: String)
    case system(what: String, detail: String)

    public var description: String {
        switch self {
        case .binariesNotFound(let searched):
            return "PostgreSQL server programs (initdb, pg_ctl) not found; looked in: \(searched.joined(separator: ", ")). "
                + "Install them (Debian/Ubuntu: apt-get install postgresql) or set FIREDRILL_PG_BINDIR"
        case .noPostgresUser:
            return "running as root, the test PostgreSQL server must run as the 'postgres' OS user, which does not exist "
                + "(it comes with the postgresql package)"
        case .commandFailed(let argv, let status, let output):
            return "\(argv.joined(separator: " ")) exited with status \(status): \(output)"
        case .commandTimedOut(let argv, let seconds):
            return "\(argv.joined(separator: " ")) did not finish within \(seconds) s and was killed"
        case .startFailed(let port, let log):
            return "PostgreSQL did not start on 127.0.0.1:\(port); end of its log:\n\(log)"
        case .system(let what, let detail):
            return "\(what) failed: \(detail)"
        }
    }
}
