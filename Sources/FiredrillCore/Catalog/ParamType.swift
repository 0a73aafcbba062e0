import Foundation

/// The type of one driver parameter, as the validator checks it and `firedrill schema` describes it.
public indirect enum ParamType: Sendable, Hashable {
    case string
    /// A whole number within optional bounds.
    case integer(min: Int?, max: Int?)
    case number
    case boolean
    /// A duration with a unit: `250ms`, `5s`, `15m`.
    case duration
    /// A rate: `50/s`, `600/m`.
    case rate
    /// A percentage: `99.5%`.
    case percentage
    /// A size: `512MiB`.
    case byteSize
    /// A command as a list of arguments; a single shell string is refused.
    case argv
    case stringList
    case stringMap
    case enumeration([String])
    /// A tolerance: literal, list, comparison, range, regex or per-field map.
    case tolerance
    /// A positive whole number or the word `max`.
    case countOrMax
    /// A regular expression.
    case regex
    /// A signal name or number: `KILL`, `SIGTERM`, `9`.
    case signal
    /// A URL (`http://`, `https://`, or a `postgres://` DSN for `dsn` params).
    case url
    /// A PostgreSQL connection string: a URI or `key=value` conninfo.
    case dsn
    /// A nested list of steps (`parallel`).
    case steps
    /// One probe, with its `expect` (`until`).
    case probe
    /// Any of the listed types.
    case oneOf([ParamType])
    /// The path of a file that must exist when the plan is loaded (a CA bundle, a certificate, a key).
    case file
    /// A map of named options, each with its own type, and the rules across them.
    case options([ParamSpec], rules: [ParamRule])

    /// The largest whole number any parameter takes when its type sets no maximum, so that no count, id or
    /// replica number from a plan can overflow the arithmetic done on it.
    public static let largestInteger = 2_147_483_647
    /// The largest count a `countOrMax` parameter takes.
    public static let largestCount = 1_000_000

    /// `file://` or `fileb://` when `value` starts with one (any case): the aws CLI reads such a parameter value
    /// from a local file, so a plan may not give one to an `aws.*` driver.
    public static func awsFileScheme(_ value: String) -> String? {
        let lowered = value.trimmingCharacters(in: .whitespaces).lowercased()
        return ["file://", "fileb://"].first { lowered.hasPrefix($0) }
    }

    /// How the type reads in docs and messages.
    public var summary: String {
        switch self {
        case .string: return "string"
        case .integer(let lo, let hi):
            switch (lo, hi) {
            case let (lo?, hi?): return "integer \(lo)–\(hi)"
            case let (lo?, nil): return "integer ≥ \(lo)"
            default: return "integer"
            }
        case .number: return "number"
        case .boolean: return "boolean"
        case .duration: return "duration (e.g. 5s)"
        case .rate: return "rate (e.g. 50/s)"
        case .percentage: return "percentage (e.g. 50%)"
        case .byteSize: return "size (e.g. 1MiB)"
        case .argv: return "argv list"
        case .stringList: return "list of strings"
        case .stringMap: return "map of strings"
        case .enumeration(let values): return values.joined(separator: " | ")
        case .tolerance: return "tolerance"
        case .countOrMax: return "integer ≥ 1 or max"
        case .regex: return "regex"
        case .signal: return "signal (e.g. KILL, TERM, 9)"
        case .url: return "URL"
        case .dsn: return "PostgreSQL DSN"
        case .steps: return "list of steps"
        case .probe: return "probe"
        case .oneOf(let types): return types.map(\.summary).joined(separator: " or ")
        case .file: return "file path"
        case .options(let specs, _): return "map of " + specs.map { "`\($0.name)`" }.joined(separator: ", ")
        }
    }
}
