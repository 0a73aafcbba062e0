import Foundation

/// Where the history store is: `--store`, else `$FIREDRILL_STORE`, else `.firedrill-history.sqlite` under the
/// reports root (hidden, like the run index and the plan locks there, so the root lists only run directories).
/// A `postgresql://` (or `postgres://`) URI is a shared PostgreSQL store; anything else is a SQLite file.
public enum StoreLocation {
    public static let environmentVariable = "FIREDRILL_STORE"
    public static let defaultFileName = ".firedrill-history.sqlite"

    /// The store location to use.
    public static func resolve(option: String?, reportsRoot: String,
                               environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let option, !option.isEmpty { return option }
        if let fromEnvironment = environment[environmentVariable], !fromEnvironment.isEmpty { return fromEnvironment }
        return reportsRoot + "/" + defaultFileName
    }

    /// Opens the store at `location`. `readOnly`: a SQLite file that does not exist is read as an empty store and
    /// not created.
    public static func open(_ location: String, timeout: Duration = .seconds(10), readOnly: Bool = false) async throws -> any RunStore {
        if PostgresRunStore.accepts(location) {
            return try await PostgresRunStore.open(dsn: location, timeout: timeout)
        }
        if readOnly, !FileManager.default.fileExists(atPath: location) {
            return try await SQLiteRunStore.empty(describedAs: location)
        }
        return try await SQLiteRunStore.open(path: location)
    }
}
