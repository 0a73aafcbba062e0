/// What one probe execution saw: its fields (judged by `expect`) and a one-line summary for people.
public struct Observation: Sendable {
    /// An object of the driver's fields (`status`, `latency`…). Durations are seconds, percentages 0–100.
    public var value: JSONValue
    public var summary: String
    /// The driver's own verdict when the plan gives no `expect` (e.g. HTTP status below 400, exit code 0).
    public var ok: Bool

    public init(value: JSONValue, summary: String, ok: Bool = true) {
        self.value = value
        self.summary = summary
        self.ok = ok
    }
}
