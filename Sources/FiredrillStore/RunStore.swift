import Foundation

/// Where runs are recorded and read back: one interface, with SQLite (the embedded default) and PostgreSQL (a team's
/// shared store) behind it. Both pass the same conformance suite.
public protocol RunStore: Sendable {
    /// What the store is, for messages: a file path, or a PostgreSQL target without its password.
    var description: String { get }

    /// The schema version the store is at after opening (opening migrates it).
    func schemaVersion() async throws -> Int

    /// Inserts or replaces the record with `record.id`, objectives included: the start record, the end record and
    /// an imported record all go through here.
    func save(_ record: RunRecord) async throws

    /// The record with `id`, if any.
    func run(id: String) async throws -> RunRecord?

    /// Runs, oldest first: of `plan` only when given, and started at or after `since` when given.
    func runs(plan: String?, since: Date?) async throws -> [RunRecord]

    /// The latest run of each plan, keyed by plan name.
    func latestRuns() async throws -> [String: RunRecord]

    /// Runs of `plan` that have not ended or still owe undos, oldest first: what the interlock refuses on.
    func unfinishedRuns(plan: String) async throws -> [RunRecord]

    /// Takes the cross-runner lock on `plan` for the life of this store connection, or reports who holds it.
    /// A store that cannot lock across machines (SQLite) returns `.unsupported`: the local plan lock covers it.
    func lockPlan(_ plan: String, holder: LockHolder) async throws -> PlanLockResult

    /// Closes the connection (releasing any plan lock it holds).
    func close() async
}

/// Who holds a plan lock.
public struct LockHolder: Sendable, Codable, Equatable, CustomStringConvertible {
    public var runBy: String
    public var pid: Int32
    public var since: String
    public var runDirectory: String?

    public init(runBy: String, pid: Int32 = getpid(), since: String = RunRecord.rfc3339(Date()), runDirectory: String? = nil) {
        self.runBy = runBy
        self.pid = pid
        self.since = since
        self.runDirectory = runDirectory
    }

    public var description: String {
        "\(runBy) (pid \(pid)) since \(since)" + (runDirectory.map { " in \($0)" } ?? "")
    }
}

/// The outcome of `RunStore.lockPlan`.
public enum PlanLockResult: Sendable, Equatable {
    case acquired
    /// Another runner holds it; its holder as it recorded itself, when readable.
    case held(by: LockHolder?)
    case unsupported
}
