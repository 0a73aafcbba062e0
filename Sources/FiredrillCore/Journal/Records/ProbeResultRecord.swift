/// `probe.result`: one probe check.
public struct ProbeResultRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.probeResult]
    public static let members = ["probe", "passed", "message", "attempts", "seconds", "observed", "expected", "role"]

    /// The probe's name (the event's `step` member carries it too).
    public var probe: String?
    /// Whether the check passed; a missing or non-boolean `passed` reads as a failure.
    public var passed: Bool
    /// What was seen.
    public var message: String?
    /// Attempts made.
    public var attempts: Int?
    /// How long the check took.
    public var seconds: Double?
    /// The value observed, as journaled (possibly `null`).
    public var observed: JSONValue?
    /// What was expected.
    public var expected: String?
    /// `steady-state-before`, `guard`, `recovered`, `verify`, …
    public var role: String?

    public init(data: JSONValue) {
        probe = data["probe"]?.stringValue
        passed = data["passed"]?.boolValue ?? false
        message = data["message"]?.stringValue
        attempts = data["attempts"]?.intValue
        seconds = data["seconds"]?.doubleValue
        observed = data["observed"]
        expected = data["expected"]?.stringValue
        role = data["role"]?.stringValue
    }
}
