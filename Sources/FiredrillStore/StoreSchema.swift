/// The store's schema, one migration per version, in SQL both SQLite and PostgreSQL accept. A store is migrated
/// when it is opened; a store at a newer version than this firedrill knows is refused rather than written.
public enum StoreSchema {
    /// The version table, created before any migration.
    static let versionTable = "CREATE TABLE IF NOT EXISTS firedrill_schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"

    /// Migration `n` is `migrations[n - 1]`.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE firedrill_runs (
                id TEXT PRIMARY KEY, plan TEXT NOT NULL, plan_sha256 TEXT NOT NULL, kind TEXT NOT NULL,
                environment TEXT NOT NULL, run_by TEXT NOT NULL, started_at TEXT NOT NULL,
                started_epoch DOUBLE PRECISION NOT NULL, ended_at TEXT, ending TEXT, reason TEXT, journal_head TEXT,
                journal_events INTEGER, owed_undos INTEGER NOT NULL DEFAULT 0, run_directory TEXT NOT NULL)
            """,
            """
            CREATE TABLE firedrill_objectives (
                run_id TEXT NOT NULL REFERENCES firedrill_runs (id) ON DELETE CASCADE, name TEXT NOT NULL,
                target_seconds DOUBLE PRECISION, achieved_seconds DOUBLE PRECISION, verdict TEXT NOT NULL,
                PRIMARY KEY (run_id, name))
            """,
        ],
        [
            "CREATE INDEX firedrill_runs_plan_started ON firedrill_runs (plan, started_epoch)",
            "CREATE INDEX firedrill_runs_started ON firedrill_runs (started_epoch)",
            // Who holds a plan's cross-runner lock (PostgreSQL), written by the holder once it has the lock.
            "CREATE TABLE firedrill_plan_locks (plan TEXT PRIMARY KEY, holder TEXT NOT NULL)",
        ],
        [
            // Who holds a target's cross-runner lock (PostgreSQL): the target's lock name, what it is, and the holder.
            "CREATE TABLE firedrill_target_locks (target TEXT PRIMARY KEY, description TEXT NOT NULL, holder TEXT NOT NULL)",
        ],
        [
            // The server session (backend pid) that wrote each holder row: a row is only shown as the holder while
            // that session holds the lock, never a finished runner's row or one not yet replaced by the new holder.
            "ALTER TABLE firedrill_plan_locks ADD COLUMN session BIGINT",
            "ALTER TABLE firedrill_target_locks ADD COLUMN session BIGINT",
        ],
    ]

    /// The version this firedrill writes.
    public static var currentVersion: Int { migrations.count }

    /// The message for a store written by a newer firedrill.
    static func tooNew(_ store: String, version: Int) -> StoreError {
        StoreError("the store \(store) is at schema version \(version), newer than this firedrill knows (\(currentVersion)); upgrade firedrill")
    }
}
