/// `step.ended`: a step finished, failed or was cancelled.
public struct StepEndedRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.stepEnded]
    public static let members = ["phase", "status", "seconds", "summary", "output", "error"]

    /// The phase the step ran in.
    public var phase: String?
    /// `ok`, `failed` or `cancelled`.
    public var status: String?
    /// How long it took.
    public var seconds: Double?
    /// `ok`: the driver's one-line summary.
    public var summary: String?
    /// `ok`: the driver's output fields.
    public var output: JSONValue?
    /// `failed`/`cancelled`: why.
    public var error: String?

    public init(data: JSONValue) {
        phase = data["phase"]?.stringValue
        status = data["status"]?.stringValue
        seconds = data["seconds"]?.doubleValue
        summary = data["summary"]?.stringValue
        output = data["output"]
        error = data["error"]?.stringValue
    }

    /// The summary of a step that ended well, else why it did not.
    public var detail: String? { summary ?? error }
}
