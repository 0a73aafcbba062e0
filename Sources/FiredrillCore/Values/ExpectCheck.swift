/// Checks an `expect` map against the fields a probe declares: every key must name a field, and every value must
/// be a tolerance that reads one way only against the field's kind.
///
/// The unit rule:
/// - a duration needs its unit (`< 200ms`): a bare `200` would be 200 seconds;
/// - a percent field (0–100) needs the `%` sign (`>= 99%`);
/// - a ratio field (0–1) takes a bare number as a ratio (`< 0.01`) and converts a percentage (`< 1%` is `< 0.01`);
/// - sizes, rates and counts take a bare number in their base unit (bytes, per second, things);
/// - a field whose unit is not known (a query's `value` without `unit:`, text such as `stdout`) takes plain
///   numbers only, so a unit is never silently dropped;
/// - a boolean takes `true` or `false`, a map or list no comparison.
public enum ExpectCheck {
    /// One problem with one key of the map (or with the map itself when `key` is nil).
    public struct Problem: Sendable, Hashable {
        public var key: String?
        /// True when the key itself is wrong (the message points at the key), false when its value is.
        public var atKey: Bool
        public var message: String
        public var hint: String?
    }

    /// Every problem of `tolerance` (the `expect` of a probe of `driver`) against the driver's `fields`. An empty
    /// field list checks nothing.
    public static func problems(_ tolerance: Tolerance, driver: String, fields: [ProbeField]) -> [Problem] {
        guard !fields.isEmpty else { return [] }
        guard case .fields(let entries) = tolerance else {
            return [Problem(key: nil, atKey: false,
                            message: "`expect` of a `\(driver)` probe is a map of the fields it observes, not \(tolerance.description)",
                            hint: "for example `expect: { \(fields[0].name): … }`; fields: \(names(fields))")]
        }
        var problems: [Problem] = []
        for entry in entries {
            let key = entry.selector.description
            let name: String?
            switch entry.selector {
            case .field(let n): name = n
            case .path(let path):
                if case .field(let n)? = path.segments.first { name = n } else { name = nil }
            }
            guard let name else { continue }
            guard let field = fields.first(where: { $0.name == name }) else {
                let hint = Suggestion.hint(for: name, in: fields.map(\.name)) ?? "fields of `\(driver)`: \(names(fields))"
                problems.append(Problem(key: key, atKey: true, message: "`\(driver)` observes no field `\(name)`", hint: hint))
                continue
            }
            guard case .field = entry.selector else { continue }
            if let problem = problem(entry.tolerance, field: field, driver: driver) {
                problems.append(Problem(key: key, atKey: false, message: problem.message, hint: problem.hint))
            }
        }
        return problems
    }

    static func names(_ fields: [ProbeField]) -> String {
        fields.map(\.name).joined(separator: ", ")
    }

    /// The first problem of one field's tolerance, if any.
    static func problem(_ tolerance: Tolerance, field: ProbeField, driver: String) -> ValueError? {
        switch tolerance {
        case .anyOf(let items):
            return items.lazy.compactMap { problem($0, field: field, driver: driver) }.first
        case .regex:
            return nil
        case .fields:
            switch field.kind {
            case .object, .string, .dynamic: return nil
            default: return ValueError("`\(field.name)` is \(field.kind.name), not a map", hint: "write a single tolerance, like \(example(field.kind))")
            }
        case .literal(let value):
            switch (value, field.kind) {
            case (.number(let x), .duration):
                let shown = DecimalText.format(x)
                return ValueError("`\(field.name)` is a duration, and a bare \(shown) would be read as \(shown) seconds",
                                  hint: "write the unit: \(shown)ms, or \(shown)s if you mean seconds")
            case (.number(let x), .percent):
                let shown = DecimalText.format(x)
                return ValueError("`\(field.name)` is a percentage (0–100), so a bare \(shown) is ambiguous", hint: "write the % sign: \(shown)%")
            case (.number, .boolean):
                return ValueError("`\(field.name)` is a boolean", hint: "write true or false")
            case (.string, .boolean) where !isBooleanText(value):
                return ValueError("`\(field.name)` is a boolean", hint: "write true or false")
            case (.bool, .duration), (.bool, .ratio), (.bool, .percent), (.bool, .count), (.bool, .bytes), (.bool, .rate), (.bool, .number):
                return ValueError("`\(field.name)` is \(field.kind.name), not a boolean", hint: "write a value like \(example(field.kind))")
            default:
                return nil
            }
        case .compare(_, let quantity):
            return problem(quantity.unit, field: field, driver: driver, written: tolerance.description)
        case .between(let low, _):
            return problem(low.unit, field: field, driver: driver, written: tolerance.description)
        }
    }

    private static func isBooleanText(_ value: JSONValue) -> Bool {
        guard case .string(let text) = value else { return false }
        return ["true", "false", "t", "f"].contains(text.lowercased())
    }

    /// Whether a comparison in `unit` reads one way only against the field.
    static func problem(_ unit: QuantityUnit, field: ProbeField, driver: String, written: String) -> ValueError? {
        let accepted: [QuantityUnit]
        switch field.kind {
        case .duration:
            if unit == .none {
                return ValueError("`\(field.name)` is a duration, and `\(written)` has no unit: it would be read in seconds",
                                  hint: "write the unit: \"\(withUnit(written, "ms"))\", or \"\(withUnit(written, "s"))\" if you mean seconds")
            }
            accepted = [.seconds]
        case .percent:
            if unit == .none {
                return ValueError("`\(field.name)` is a percentage (0–100), and `\(written)` has no % sign", hint: "write it as a percentage: \"\(withUnit(written, "%"))\"")
            }
            accepted = [.percent]
        case .ratio: accepted = [.none, .percent]
        case .bytes: accepted = [.none, .bytes]
        case .rate: accepted = [.none, .perSecond]
        case .count, .number: accepted = [.none]
        case .string:
            if unit != .none {
                return ValueError("`\(field.name)` is text with no known unit, so `\(written)` cannot be checked as \(unit.kindName)",
                                  hint: "compare with a plain number in the unit the text is written in, or match it with a regex")
            }
            return nil
        case .dynamic:
            if unit != .none {
                return ValueError("the unit of `\(field.name)` is whatever the query returns, so `\(written)` could be misread",
                                  hint: "declare it on the probe: \(unitAdvice(unit)); or compare with a plain number")
            }
            return nil
        case .boolean:
            return ValueError("`\(field.name)` is a boolean and cannot be compared with `\(written)`", hint: "write true or false")
        case .object:
            return ValueError("`\(field.name)` is a map or list and cannot be compared with `\(written)`",
                              hint: "check its entries with a map, like { \"$.count\": \"> 0\" }, or match it with a regex")
        }
        guard accepted.contains(unit) else {
            return ValueError("`\(field.name)` is \(field.kind.name), but `\(written)` is \(unit.kindName)", hint: "write a value like \(example(field.kind))")
        }
        return nil
    }

    private static func unitAdvice(_ unit: QuantityUnit) -> String {
        switch unit {
        case .percent: return "`unit: ratio` if the query returns 0–1 (then 1% is 0.01), `unit: percent` if it returns 0–100"
        case .seconds: return "`unit: duration` if the query returns seconds"
        case .bytes: return "`unit: bytes` if the query returns bytes"
        case .perSecond: return "`unit: rate` if the query returns a rate per second"
        case .none: return "`unit: number`"
        }
    }

    /// `< 200` → `< 200ms`: the written comparison with a unit after each number.
    private static func withUnit(_ written: String, _ unit: String) -> String {
        var out = ""
        var inNumber = false
        for c in written {
            let digit = c.isNumber || c == "."
            if inNumber, !digit { out += unit }
            out.append(c)
            inNumber = digit
        }
        if inNumber { out += unit }
        return out
    }

    private static func example(_ kind: FieldKind) -> String {
        switch kind {
        case .duration: "\"< 200ms\""
        case .ratio: "\"< 0.01\" or \"< 1%\""
        case .percent: "\">= 99%\""
        case .count, .number: "\">= 1\""
        case .bytes: "\"< 16MiB\""
        case .rate: "\">= 50/s\""
        case .boolean: "true"
        case .string: "/^ok/"
        case .object, .dynamic: "{ … }"
        }
    }
}
