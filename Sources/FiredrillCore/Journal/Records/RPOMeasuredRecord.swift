/// `rpo.measured`: the RPO figure and verdict of a drill.
public struct RPOMeasuredRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.rpoMeasured]
    public static let members = ["mode", "seconds", "bound", "summary", "detail", "objective", "verdict", "met", "error"]

    /// `heartbeat`, `query` or `backup`.
    public var mode: String?
    /// The RPO in seconds.
    public var seconds: Double?
    /// Whether the figure is exact or a bound.
    public var bound: String?
    /// One line on the measurement.
    public var summary: String?
    /// The meter's detail; nil when absent or `null`.
    public var detail: JSONValue?
    /// `objectives.rpo` in seconds.
    public var objective: Double?
    /// `met`, `not-met` or `inconclusive`, as journaled.
    public var verdict: String?
    /// Whether the objective was met.
    public var met: Bool?
    /// Why it could not be measured.
    public var error: String?

    public init(data: JSONValue) {
        mode = data["mode"]?.stringValue
        seconds = data["seconds"]?.doubleValue
        bound = data["bound"]?.stringValue
        summary = data["summary"]?.stringValue
        detail = data["detail"].flatMap { $0.isNull ? nil : $0 }
        objective = data["objective"]?.doubleValue
        verdict = data["verdict"]?.stringValue
        met = data["met"]?.boolValue
        error = data["error"]?.stringValue
    }
}
