/// `step.started`: a step about to run.
public struct StepStartedRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.stepStarted]
    public static let members = ["phase", "kind", "params", "seconds", "timeout-seconds"]

    /// The phase the step runs in.
    public var phase: String?
    /// The driver key, `command` or `wait`.
    public var kind: String?
    /// Driver steps: the resolved parameters (secrets masked).
    public var params: JSONValue?
    /// `wait` steps: how long.
    public var seconds: Double?
    /// `until` and `manual` steps: the step's timeout.
    public var timeoutSeconds: Double?

    public init(data: JSONValue) {
        phase = data["phase"]?.stringValue
        kind = data["kind"]?.stringValue
        params = data["params"]
        seconds = data["seconds"]?.doubleValue
        timeoutSeconds = data["timeout-seconds"]?.doubleValue
    }
}
