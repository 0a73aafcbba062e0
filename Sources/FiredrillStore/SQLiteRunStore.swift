import Foundation
import GRDB

/// The embedded store: one SQLite file through GRDB, in WAL mode so `history` reads while a run writes.
public final class SQLiteRunStore: RunStore, SQLDatabase {
    public let path: String
    private let queue: DatabaseQueue

    public var description: String { path }

    /// Opens (creating it and its folder when missing) and migrates the store at `path`.
    public static func open(path: String) async throws -> SQLiteRunStore {
        try await open(path: path, schema: StoreSchema.currentVersion)
    }

    /// Opens the store migrated to `schema` only (tests of the migrations).
    static func open(path: String, schema: Int) async throws -> SQLiteRunStore {
        let folder = (path as NSString).deletingLastPathComponent
        do {
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        } catch {
            throw StoreError("cannot create the folder of the store \(path): \(error.localizedDescription)")
        }
        let queue: DatabaseQueue
        do {
            var configuration = Configuration()
            // Another runner writing the same file waits rather than failing at once.
            configuration.busyMode = .timeout(10)
            configuration.foreignKeysEnabled = true
            queue = try DatabaseQueue(path: path, configuration: configuration)
            _ = try await queue.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        } catch {
            throw StoreError("cannot open the store \(path): \(Self.message(error))")
        }
        let store = SQLiteRunStore(path: path, queue: queue)
        do {
            _ = try await StoreQueries.migrate(store, store: path, lock: nil, to: schema)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot migrate the store \(path): \(Self.message(error))")
        }
        return store
    }

    /// An empty store in memory, shown as `path`: what reading a store that does not exist yet sees, without
    /// creating the file or its folder for a command that only reads (`history`, `due` in a read-only checkout).
    public static func empty(describedAs path: String) async throws -> SQLiteRunStore {
        let store = SQLiteRunStore(path: path, queue: try DatabaseQueue())
        _ = try await StoreQueries.migrate(store, store: path, lock: nil, to: StoreSchema.currentVersion)
        return store
    }

    private init(path: String, queue: DatabaseQueue) {
        self.path = path
        self.queue = queue
    }

    func rows(_ sql: String, _ parameters: [String?]) async throws -> [[String?]] {
        try await queue.read { db in
            // A cursor, each value read in place: no intermediate row objects for ten thousand runs.
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: StatementArguments(parameters))
            var rows: [[String?]] = []
            while let row = try cursor.next() {
                var values: [String?] = []
                values.reserveCapacity(row.count)
                for value in row.databaseValues { values.append(Self.text(value)) }
                rows.append(values)
            }
            return rows
        }
    }

    func transaction(_ statements: [(sql: String, parameters: [String?])]) async throws {
        try await queue.write { db in
            for statement in statements {
                try db.execute(sql: statement.sql, arguments: StatementArguments(statement.parameters))
            }
        }
    }

    /// A column value as text (numbers in their shortest exact form), nil for NULL.
    private static func text(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: nil
        case .int64(let n): String(n)
        case .double(let d): "\(d)"
        case .string(let s): s
        case .blob(let b): String(decoding: b, as: UTF8.self)
        }
    }

    private static func message(_ error: any Error) -> String {
        (error as? DatabaseError)?.message ?? "\(error)"
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
    public func lockPlan(_ plan: String, holder: LockHolder) async throws -> PlanLockResult { .unsupported }
    public func lockTargets(_ targets: [PlanTarget], plan: String, holder: LockHolder) async throws -> TargetLockResult { .unsupported }
    public func close() async { try? queue.close() }
}
