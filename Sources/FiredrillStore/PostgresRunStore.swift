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
        let key = Self.lockKey("firedrill.plan:" + plan)
        let got = try await connection.scalar("SELECT pg_try_advisory_lock($1::bigint)", [String(key)])
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if got == "t" {
            let text = String(decoding: try encoder.encode(holder), as: UTF8.self)
            try await transaction([("INSERT INTO firedrill_plan_locks (plan, holder) VALUES (?, ?) ON CONFLICT (plan) DO UPDATE SET holder = excluded.holder",
                                    [plan, text])])
            return .acquired
        }
        let recorded = try await rows("SELECT holder FROM firedrill_plan_locks WHERE plan = ?", [plan]).first?.first ?? nil
        return .held(by: recorded.flatMap { try? JSONDecoder().decode(LockHolder.self, from: Data($0.utf8)) })
    }

    public func lockTargets(_ targets: [PlanTarget], plan: String, holder: LockHolder) async throws -> TargetLockResult {
        var holder = holder
        holder.plan = plan
        var taken: [Int64] = []
        // One order for every runner; each lock is tried, never waited for, so two runners cannot deadlock.
        for target in Set(targets).sorted(by: { $0.lockName < $1.lockName }) {
            let key = Self.lockKey(target.lockName)
            if try await connection.scalar("SELECT pg_try_advisory_lock($1::bigint)", [String(key)]) == "t" {
                taken.append(key)
                continue
            }
            for key in taken { _ = try? await connection.scalar("SELECT pg_advisory_unlock($1::bigint)", [String(key)]) }
            let recorded = try await rows("SELECT holder FROM firedrill_target_locks WHERE target = ?", [target.lockName]).first?.first ?? nil
            return .held(target: target, by: recorded.flatMap { try? JSONDecoder().decode(LockHolder.self, from: Data($0.utf8)) })
        }
        guard !targets.isEmpty else { return .acquired }
        let text = String(decoding: try Self.encoder.encode(holder), as: UTF8.self)
        try await transaction(Set(targets).sorted { $0.lockName < $1.lockName }.map { target in
            ("INSERT INTO firedrill_target_locks (target, description, holder) VALUES (?, ?, ?) ON CONFLICT (target) DO UPDATE SET description = excluded.description, holder = excluded.holder",
             [target.lockName, target.text, text])
        })
        return .acquired
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
