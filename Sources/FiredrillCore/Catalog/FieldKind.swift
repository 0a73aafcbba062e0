/// What one observed field of a probe holds, and so which tolerances make sense against it.
///
/// Numbers arrive in a base unit: durations in seconds, ratios as 0–1, percentages as 0–100, sizes in bytes,
/// rates per second. The kind decides how `expect` reads a number written without a unit.
public enum FieldKind: String, Sendable, Hashable, CaseIterable {
    /// Seconds; `expect` must give a unit (`200ms`), because a bare `200` reads as 200 seconds.
    case duration
    /// A share from 0 to 1; a percentage in `expect` is converted (`1%` is 0.01).
    case ratio
    /// A share from 0 to 100; `expect` must give the `%` sign.
    case percent
    /// A whole number of things.
    case count
    /// A size in bytes; a bare number is bytes.
    case bytes
    /// Events per second; a bare number is per second.
    case rate
    /// A plain number without a unit (an HTTP status, a query's number with no `unit:` declared).
    case number
    case boolean
    case string
    /// A map or a list (headers, a JSON body, series labels): judged by a literal, a regex or a nested map.
    case object
    /// Whatever the query returns: a number, text, a boolean or null. Its unit is unknown unless the probe
    /// declares one with `unit:`.
    case dynamic

    /// The kinds a plan may declare with a probe's `unit:` parameter.
    public static let declarable: [FieldKind] = [.duration, .ratio, .percent, .count, .bytes, .rate, .number]

    /// How the kind reads in docs and messages.
    public var summary: String {
        switch self {
        case .duration: "duration (seconds; write a unit: `< 200ms`)"
        case .ratio: "ratio (0–1; `< 1%` means `< 0.01`)"
        case .percent: "percent (0–100; write `%`: `>= 99%`)"
        case .count: "count"
        case .bytes: "bytes (`< 16MiB`, or a bare number of bytes)"
        case .rate: "rate (per second: `>= 50/s`)"
        case .number: "number (no unit)"
        case .boolean: "boolean"
        case .string: "string"
        case .object: "map or list"
        case .dynamic: "the query's result (a number, text, boolean or null; declare its unit with `unit:`)"
        }
    }

    /// The kind in a few words, for messages: "a duration", "a ratio".
    public var name: String {
        switch self {
        case .duration: "a duration"
        case .ratio: "a ratio (0–1)"
        case .percent: "a percentage (0–100)"
        case .count: "a count"
        case .bytes: "a size in bytes"
        case .rate: "a rate"
        case .number: "a plain number"
        case .boolean: "a boolean"
        case .string: "text"
        case .object: "a map or list"
        case .dynamic: "a query result"
        }
    }
}
