/// `rto.measured`: the RTO figure and verdict of a drill. Instants are `mono` seconds.
public struct RTOMeasuredRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.rtoMeasured]
    public static let members = ["seconds", "met", "verdict", "objective", "injected", "stable", "detected", "first-healthy",
                                 "detection-seconds", "repair-seconds", "outage-detected", "definition", "reason"]

    /// The RTO: `stable` − `injected`.
    public var seconds: Double?
    /// Whether the objective was met.
    public var met: Bool?
    /// `met`, `not-met` or `inconclusive`, as journaled.
    public var verdict: String?
    /// `objectives.rto` in seconds.
    public var objective: Double?
    public var injected: Double?
    public var stable: Double?
    public var detected: Double?
    public var firstHealthy: Double?
    public var detectionSeconds: Double?
    public var repairSeconds: Double?
    public var outageDetected: Bool?
    /// How the RTO is defined.
    public var definition: String?
    /// Why there is no figure.
    public var reason: String?

    public init(data: JSONValue) {
        seconds = data["seconds"]?.doubleValue
        met = data["met"]?.boolValue
        verdict = data["verdict"]?.stringValue
        objective = data["objective"]?.doubleValue
        injected = data["injected"]?.doubleValue
        stable = data["stable"]?.doubleValue
        detected = data["detected"]?.doubleValue
        firstHealthy = data["first-healthy"]?.doubleValue
        detectionSeconds = data["detection-seconds"]?.doubleValue
        repairSeconds = data["repair-seconds"]?.doubleValue
        outageDetected = data["outage-detected"]?.boolValue
        definition = data["definition"]?.stringValue
        reason = data["reason"]?.stringValue
    }
}
