/// `run.started`: the plan, who ran it and under which limits, written first.
public struct RunStartedRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.runStarted]
    public static let members = ["plan", "title", "kind", "environment", "initiator", "limits"]

    /// The plan's name.
    public var plan: String?
    /// The plan's title.
    public var title: String?
    /// `experiment` or `drill`.
    public var kind: String?
    /// The plan's environment.
    public var environment: String?
    /// Who started the run.
    public var initiator: String?
    /// `limits.duration` in seconds.
    public var limitSeconds: Double?
    /// `limits.max-targets`.
    public var maxTargets: Int?

    public init(data: JSONValue) {
        plan = data["plan"]?.stringValue
        title = data["title"]?.stringValue
        kind = data["kind"]?.stringValue
        environment = data["environment"]?.stringValue
        initiator = data["initiator"]?.stringValue
        limitSeconds = data["limits"]?["duration"]?.doubleValue
        maxTargets = data["limits"]?["max-targets"]?.intValue
    }
}
