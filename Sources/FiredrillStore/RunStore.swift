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

    /// Runs as `runs(plan:since:)`, with only what the `history` table shows: plan, environment, who ran it, start,
    /// end, ending and objectives (the SHA-256, kind, reason, journal head and run directory are left empty).
    func runSummaries(plan: String?, since: Date?) async throws -> [RunRecord]

    /// The start and ending of every run (of `plan` only when given), oldest first: what `due` reads.
    func starts(plan: String?) async throws -> [RunStart]

    /// The latest run of each plan, keyed by plan name.
    func latestRuns() async throws -> [String: RunRecord]

    /// Runs of `plan` that have not ended or still owe undos, oldest first: what the interlock refuses on.
    func unfinishedRuns(plan: String) async throws -> [RunRecord]

    /// Takes the cross-runner lock on `plan` for the life of this store connection, or reports who holds it.
    /// A store that cannot lock across machines (SQLite) returns `.unsupported`: the local plan lock covers it.
    func lockPlan(_ plan: String, holder: LockHolder) async throws -> PlanLockResult

    /// Takes the cross-runner lock on each of `targets` (what the run touches, see `PlanTargets`) for the life of
    /// this store connection, or reports the first one another runner holds (and then holds none of them).
    func lockTargets(_ targets: [PlanTarget], plan: String, holder: LockHolder) async throws -> TargetLockResult

    /// Closes the connection (releasing any plan lock it holds).
    func close() async
}

/// Who holds a plan lock.
public struct LockHolder: Sendable, Codable, Equatable, CustomStringConvertible {
    /// The plan being run (recorded with target locks; absent in plan-lock rows of older runners).
    public var plan: String?
    public var runBy: String
    public var pid: Int32
    public var since: String
    public var runDirectory: String?

    public init(runBy: String, pid: Int32 = getpid(), since: String = RunRecord.rfc3339(Date()), runDirectory: String? = nil,
                plan: String? = nil) {
        self.plan = plan
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

/// The outcome of `RunStore.lockTargets`.
public enum TargetLockResult: Sendable, Equatable {
    case acquired
    /// Another runner holds `target`; its holder (with its plan) as it recorded itself, when readable.
    case held(target: PlanTarget, by: LockHolder?)
    case unsupported
}
