/// `phase.started`: the phase the runner entered.
public struct PhaseStartedRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.phaseStarted]
    public static let members = ["phase", "seconds"]

    /// `steady-state-before`, `method`, `disaster`, `rollbacks`, …
    public var phase: String?
    /// `heartbeat-lead`: how long markers are written before the disaster.
    public var seconds: Double?

    public init(data: JSONValue) {
        phase = data["phase"]?.stringValue
        seconds = data["seconds"]?.doubleValue
    }
}
