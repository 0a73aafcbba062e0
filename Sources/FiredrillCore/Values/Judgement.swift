/// The verdict of a tolerance on an observed value, with the words a report shows.
public struct Judgement: Sendable, Hashable, CustomStringConvertible {
    public var passed: Bool
    /// The tolerance as written: `< 200ms`, `200`, `one of 200, 204`.
    public var expected: String
    /// The observed value in the tolerance's units: `412ms`, `503`, `"degraded"`.
    public var observed: String
    /// Observed against expected, such as `p95 412ms, expected < 200ms`; for a field map, every failing field
    /// (or every field, when all pass) joined with `; `.
    public var message: String

    public init(passed: Bool, expected: String, observed: String, message: String) {
        self.passed = passed
        self.expected = expected
        self.observed = observed
        self.message = message
    }

    public var description: String { message }
}
