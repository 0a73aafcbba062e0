import FiredrillCore
import FiredrillDrivers
import Foundation

/// A team's shared store: PostgreSQL through the libpq wrapper. Besides the history it offers the plan lock across
/// runners: a session-level advisory lock held by this store's connection for the life of the run.
public final class PostgresRunStore: RunStore, SQLDatabase {
    private let connection: PGConnection
    public let description: String

    /// Whether `location` names a PostgreSQL store (`postgresql://…` or `postgres://…`).
    public static func accepts(_ location: String) -> Bool {
        location.hasPrefix("postgresql://") || location.hasPrefix("postgres://")
    }

    /// Connects (within `timeout`) and migrates the store at `dsn`.
    public static func open(dsn: String, timeout: Duration = .seconds(10)) async throws -> PostgresRunStore {
        try await open(dsn: dsn, timeout: timeout, schema: StoreSchema.currentVersion)
    }

    /// Opens the store migrated to `schema` only (tests of the migrations).
    static func open(dsn: String, timeout: Duration, schema: Int) async throws -> PostgresRunStore {
        let shown = PGConnection.redacted(dsn)
        let connection: PGConnection
        do {
            connection = try await PGConnection.connect(dsn, timeout: timeout, statementTimeout: .seconds(30))
            // libpq prints notices on stderr ("relation … already exists, skipping"): keep them off the user's terminal.
            _ = try await connection.query("SET client_min_messages TO warning")
        } catch {
            throw StoreError("cannot reach the store \(shown): \(error)")
        }
        let store = PostgresRunStore(connection: connection, description: shown)
        do {
            // Two runners migrating at once: the second waits for the first inside its transaction.
            _ = try await StoreQueries.migrate(store, store: shown, lock: "SELECT pg_advisory_xact_lock(\(Self.lockKey("firedrill.schema")))", to: schema)
        } catch let error as StoreError {
            await connection.close()
            throw error
        } catch {
            await connection.close()
            throw StoreError("cannot migrate the store \(shown): \(error)")
        }
        return store
    }

    private init(connection: PGConnection, description: String) {
        self.connection = connection
        self.description = description
    }

    func rows(_ sql: String, _ parameters: [String?]) async throws -> [[String?]] {
        try await connection.query(Self.numbered(sql), parameters).rows
    }

    func transaction(_ statements: [(sql: String, parameters: [String?])]) async throws {
        _ = try await connection.query("BEGIN")
        do {
            for statement in statements {
                _ = try await connection.query(Self.numbered(statement.sql), statement.parameters)
            }
            _ = try await connection.query("COMMIT")
        } catch {
            _ = try? await connection.query("ROLLBACK")
            throw error
        }
    }

    /// `?` placeholders as PostgreSQL's `$1, $2, …` (the shared SQL has no `?` inside literals).
    static func numbered(_ sql: String) -> String {
        var out = ""
        var n = 0
        for c in sql {
            if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        return out
    }

    /// The advisory lock key of `name`: the first 8 bytes of its SHA-256, as a signed 64-bit integer.
    static func lockKey(_ name: String) -> Int64 {
        let hex = RunSession.sha256(name).prefix(16)
        return Int64(bitPattern: UInt64(hex, radix: 16) ?? 0)
    }

    public func lockPlan(_ plan: String, holder: LockHolder) async throws -> PlanLockResult {
        try await lockPlan(plan, holder: holder, patience: .seconds(3))
    }

    /// `lockPlan`, waiting at most `patience` for a holder that has the lock to record itself.
    func lockPlan(_ plan: String, holder: LockHolder, patience: Duration) async throws -> PlanLockResult {
        let key = Self.lockKey("firedrill.plan:" + plan)
        if case .held(_, let by) = try await tryLocks([key], patience: patience, or: { _ in
            try await self.holder(of: key, in: "firedrill_plan_locks", column: "plan", name: plan)
        }) {
            return .held(by: by)
        }
        let text = String(decoding: try Self.encoder.encode(holder), as: UTF8.self)
        try await transaction([("INSERT INTO firedrill_plan_locks (plan, holder, session) VALUES (?, ?, pg_backend_pid()) ON CONFLICT (plan) DO UPDATE SET holder = excluded.holder, session = excluded.session",
                                [plan, text])])
        return .acquired
    }

    public func lockTargets(_ targets: [PlanTarget], plan: String, holder: LockHolder) async throws -> TargetLockResult {
        var holder = holder
        holder.plan = plan
        // One order for every runner; each lock is tried, never waited for, so two runners cannot deadlock.
        let sorted = Set(targets).sorted { $0.lockName < $1.lockName }
        guard !sorted.isEmpty else { return .acquired }
        let keys = sorted.map { Self.lockKey($0.lockName) }
        if case .held(let index, let by) = try await tryLocks(keys, or: {
            try await self.holder(of: keys[$0], in: "firedrill_target_locks", column: "target", name: sorted[$0].lockName)
        }) {
            return .held(target: sorted[index], by: by)
        }
        let text = String(decoding: try Self.encoder.encode(holder), as: UTF8.self)
        try await transaction(sorted.map { target in
            ("INSERT INTO firedrill_target_locks (target, description, holder, session) VALUES (?, ?, ?, pg_backend_pid()) ON CONFLICT (target) DO UPDATE SET description = excluded.description, holder = excluded.holder, session = excluded.session",
             [target.lockName, target.text, text])
        })
        return .acquired
    }

    /// The outcome of trying a set of advisory locks: all taken, or the index of one another session holds.
    private enum TryLocks { case acquired, held(index: Int, by: LockHolder?) }

    /// Tries `keys` in order, all or nothing. When one is held elsewhere, `holderOf(index)` reads who holds it; a
    /// holder that has the lock but has not yet written its row is waited for (at most `patience`), trying the locks
    /// again meanwhile, so a refusal names the runner that holds the lock now or, past the wait, names no one.
    private func tryLocks(_ keys: [Int64], patience: Duration = .seconds(3),
                          or holderOf: (Int) async throws -> LockHolder?) async throws -> TryLocks {
        let deadline = ContinuousClock.now + patience
        while true {
            var taken: [Int64] = []
            var blocked: Int?
            for (index, key) in keys.enumerated() {
                if try await connection.scalar("SELECT pg_try_advisory_lock($1::bigint)", [String(key)]) == "t" {
                    taken.append(key)
                } else {
                    blocked = index
                    break
                }
            }
            guard let blocked else { return .acquired }
            for key in taken { _ = try? await connection.scalar("SELECT pg_advisory_unlock($1::bigint)", [String(key)]) }
            if let holder = try await holderOf(blocked) { return .held(index: blocked, by: holder) }
            if ContinuousClock.now >= deadline { return .held(index: blocked, by: nil) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// The holder row of `name` in `table`, only when the server session that wrote it holds the advisory lock `key`
    /// now (a bigint advisory lock shows in `pg_locks` as its high and low 32 bits, `objsubid` 1).
    private func holder(of key: Int64, in table: String, column: String, name: String) async throws -> LockHolder? {
        let bits = UInt64(bitPattern: key)
        let recorded = try await rows("""
            SELECT holder FROM \(table) WHERE \(column) = ? AND session IN (
                SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1
                AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND classid::bigint = ?::bigint AND objid::bigint = ?::bigint)
            """, [name, String(bits >> 32), String(bits & 0xFFFF_FFFF)]).first?.first ?? nil
        return recorded.flatMap { try? JSONDecoder().decode(LockHolder.self, from: Data($0.utf8)) }
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public func schemaVersion() async throws -> Int { try await StoreQueries.currentVersion(self) }
    public func save(_ record: RunRecord) async throws { try await StoreQueries.save(record, self) }
    public func run(id: String) async throws -> RunRecord? { try await StoreQueries.run(id: id, self) }
    public func runs(plan: String?, since: Date?) async throws -> [RunRecord] { try await StoreQueries.runs(plan: plan, since: since, self) }
    public func runSummaries(plan: String?, since: Date?) async throws -> [RunRecord] {
        try await StoreQueries.runs(plan: plan, since: since, self, columns: StoreQueries.summaryColumns)
    }
    public func starts(plan: String?) async throws -> [RunStart] { try await StoreQueries.starts(plan: plan, self) }
    public func latestRuns() async throws -> [String: RunRecord] { try await StoreQueries.latestRuns(self) }
    public func unfinishedRuns(plan: String) async throws -> [RunRecord] { try await StoreQueries.unfinishedRuns(plan: plan, self) }
    public func close() async { await connection.close() }
}
