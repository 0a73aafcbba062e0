/// When a run started and how it ended: all `due` needs of a run, read without its objectives or other columns.
public struct RunStart: Sendable, Codable, Equatable {
    public var plan: String
    /// RFC 3339 UTC, as `run.json` has it.
    public var startedAt: String
    public var startedEpoch: Double
    /// nil while the run is in progress (or died).
    public var ending: String?

    public init(plan: String, startedAt: String, startedEpoch: Double, ending: String?) {
        self.plan = plan
        self.startedAt = startedAt
        self.startedEpoch = startedEpoch
        self.ending = ending
    }
}

extension RunRecord {
    /// The record's start and ending.
    public var start: RunStart { RunStart(plan: plan, startedAt: startedAt, startedEpoch: startedEpoch, ending: ending) }
}
