/// What an observed value must look like for a probe to pass.
///
/// Written in a plan as:
/// - a literal: `200`, `healthy`, `true`. An unquoted number compares numerically with an observed number or numeric
///   string; a string compares exactly, except that a numeric string (even quoted, `"200"`) also equals the number
///   it spells, so `"200"` passes for an observed 200. A literal with a unit (`5s`, `99%`) means `== 5s`.
/// - a list: any of its items (`[200, 204]`);
/// - a comparison string: `"< 200ms"`, `"<= 512MiB"`, `">= 99.5%"`, `"== 0"`, `"!= 5"`, `"> 3"`;
/// - a range: `"between 1 and 5"`, `"between 100ms and 2s"` (inclusive);
/// - a regular expression: `/^ok/`, or `/^ok/i` for case-insensitive (the pattern then starts with `(?i)`);
/// - a map judged per field: plain keys select fields of the observed object (case-insensitively when there is no
///   exact match, for header names), keys starting with `$` are JSONPaths into the observed value. A `[*]` path
///   passes when any selected value passes.
public indirect enum Tolerance: Sendable, Hashable, CustomStringConvertible {
    case literal(JSONValue)
    case anyOf([Tolerance])
    case compare(ComparisonOperator, Quantity)
    case between(Quantity, Quantity)
    case regex(String)
    case fields([FieldTolerance])

    /// The tolerance as a user would write it, used as the "expected" side of messages.
    public var description: String {
        switch self {
        case .literal(let value):
            if case .string(let text) = value {
                let bare = !text.isEmpty && text.first?.isWhitespace == false && text.last?.isWhitespace == false
                    && !text.contains(where: { $0.isNewline })
                return bare ? text : DecimalText.quoted(text)
            }
            return JSONRendering.render(value)
        case .anyOf(let items):
            return "one of " + items.map(\.description).joined(separator: ", ")
        case .compare(let op, let quantity):
            return "\(op.rawValue) \(quantity)"
        case .between(let low, let high):
            return "between \(low) and \(high)"
        case .regex(let pattern):
            return "/\(pattern)/"
        case .fields(let fields):
            return "{ " + fields.map { "\($0.selector): \($0.tolerance)" }.joined(separator: ", ") + " }"
        }
    }

    /// The unit observed values should be shown in, taken from the first quantity in the tolerance.
    var displayUnit: QuantityUnit? {
        switch self {
        case .compare(_, let q): return q.unit
        case .between(let low, _): return low.unit
        case .anyOf(let items): return items.lazy.compactMap(\.displayUnit).first
        case .literal, .regex, .fields: return nil
        }
    }
}
