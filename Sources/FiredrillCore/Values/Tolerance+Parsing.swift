import Foundation

extension Tolerance {
    static let comparisonHint = "write a comparison like \"< 200ms\", \">= 99%\" or \"== 0\" (operators: <, <=, >, >=, ==, !=)"
    static let rangeHint = "write a range like \"between 1 and 5\" or \"between 100ms and 2s\""

    /// Reads a tolerance from its plan node. Every problem becomes a diagnostic at the node (or map key) that caused
    /// it; the tolerance is nil when there was any error.
    public static func parse(_ node: PlanNode) -> (Tolerance?, [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let tolerance = parse(node, into: &diagnostics)
        return (diagnostics.isEmpty ? tolerance : nil, diagnostics)
    }

    /// Reads a tolerance from a single string, as an unquoted YAML scalar would be read (used when the text comes
    /// from a substituted variable). Diagnostics point at `location`.
    public static func parse(text: String, at location: SourceLocation) -> (Tolerance?, [Diagnostic]) {
        do {
            return (try parseScalar(text, quoted: false), [])
        } catch {
            return (nil, [Diagnostic(at: location, error.message, hint: error.hint, length: underlineLength(text, quoted: false))])
        }
    }

    private static func parse(_ node: PlanNode, into diagnostics: inout [Diagnostic]) -> Tolerance? {
        switch node.content {
        case .scalar(let text, let quoted):
            do {
                return try parseScalar(text, quoted: quoted)
            } catch {
                diagnostics.append(Diagnostic(at: node.location, error.message, hint: error.hint, length: underlineLength(text, quoted: quoted)))
                return nil
            }
        case .sequence(let items):
            guard !items.isEmpty else {
                diagnostics.append(Diagnostic(at: node.location, "an empty list of accepted values matches nothing", hint: "list at least one accepted value, like [200, 204]"))
                return nil
            }
            let parsed = items.map { parse($0, into: &diagnostics) }
            let accepted = parsed.compactMap { $0 }
            return accepted.count == parsed.count ? .anyOf(accepted) : nil
        case .mapping(let entries):
            guard !entries.isEmpty else {
                diagnostics.append(Diagnostic(at: node.location, "an empty map checks nothing", hint: "name the fields to check, like { status: 200 }"))
                return nil
            }
            var fields: [FieldTolerance] = []
            var failed = false
            for entry in entries {
                var selector = FieldTolerance.Selector.field(entry.key)
                if entry.key.hasPrefix("$") {
                    do {
                        selector = .path(try JSONPath.parse(entry.key))
                    } catch {
                        var at = entry.keyLocation
                        at.column += error.offset ?? 0
                        diagnostics.append(Diagnostic(at: at, error.message, hint: error.hint))
                        failed = true
                    }
                }
                if let tolerance = parse(entry.value, into: &diagnostics) {
                    fields.append(FieldTolerance(selector: selector, tolerance: tolerance))
                } else {
                    failed = true
                }
            }
            return failed ? nil : .fields(fields)
        }
    }

    private static func underlineLength(_ text: String, quoted: Bool) -> Int {
        let firstLine = text.prefix { !$0.isNewline }
        return firstLine.count + (quoted ? 2 : 0)
    }

    /// One scalar: comparison, range, regex, quantity literal (`5s` means `== 5s`), or literal.
    static func parseScalar(_ text: String, quoted: Bool) throws(ValueError) -> Tolerance {
        let trimmed = Substring(text).trimmingWhitespace()
        if let first = trimmed.first, "<>=!≤≥".contains(first) {
            return try parseComparison(trimmed)
        }
        if trimmed.lowercased() == "between" || trimmed.lowercased().hasPrefix("between ") {
            return try parseRange(trimmed)
        }
        if trimmed.count >= 2, trimmed.first == "/" {
            if let regex = try parseRegex(trimmed) { return regex }
        }
        if let number = DecimalText.plainNumber(trimmed) {
            return .literal(quoted ? .string(text) : .number(number))
        }
        if let quantity = try? Quantity.parse(String(trimmed)), quantity.unit != .none {
            return .compare(.equal, quantity)
        }
        guard !quoted else { return .literal(.string(text)) }
        switch text {
        case "true", "True", "TRUE": return .literal(.bool(true))
        case "false", "False", "FALSE": return .literal(.bool(false))
        case "", "~", "null", "Null", "NULL": return .literal(.null)
        default: return .literal(.string(text))
        }
    }

    private static func parseComparison(_ text: Substring) throws(ValueError) -> Tolerance {
        let opText = text.prefix { "<>=!≤≥".contains($0) }
        let op: ComparisonOperator
        switch opText {
        case "<": op = .lessThan
        case "<=", "≤": op = .lessThanOrEqual
        case ">": op = .greaterThan
        case ">=", "≥": op = .greaterThanOrEqual
        case "==", "=": op = .equal
        case "!=": op = .notEqual
        default:
            throw ValueError("unknown comparison operator \(DecimalText.quoted(String(opText))) in \(DecimalText.quoted(String(text)))", hint: comparisonHint)
        }
        let operand = text.dropFirst(opText.count).trimmingWhitespace()
        guard !operand.isEmpty else {
            throw ValueError("the comparison \(DecimalText.quoted(String(text))) needs a value after \(opText)", hint: comparisonHint)
        }
        do {
            return .compare(op, try Quantity.parse(String(operand)))
        } catch {
            if DecimalText.scan(operand) == nil {
                throw ValueError("a comparison needs a number, not \(DecimalText.quoted(String(operand)))",
                                 hint: "compare text with a literal (healthy) or a regular expression (/^ok/); comparisons need a number, optionally with a unit")
            }
            throw error
        }
    }

    private static func parseRange(_ text: Substring) throws(ValueError) -> Tolerance {
        let body = text.dropFirst("between".count).trimmingWhitespace()
        let words = body.split(whereSeparator: \.isWhitespace)
        guard let andIndex = words.firstIndex(where: { $0.lowercased() == "and" }),
              andIndex > 0, andIndex < words.count - 1 else {
            throw ValueError("malformed range \(DecimalText.quoted(String(text))): it needs a lower and an upper value", hint: rangeHint)
        }
        let lowText = words[..<andIndex].joined(separator: " ")
        let highText = words[(andIndex + 1)...].joined(separator: " ")
        let low = try Quantity.parse(lowText)
        let high = try Quantity.parse(highText)
        guard low.unit == high.unit else {
            throw ValueError("the range \(DecimalText.quoted(String(text))) mixes \(low.unit.kindName) and \(high.unit.kindName)", hint: rangeHint)
        }
        guard low.value <= high.value else {
            throw ValueError("the range \(DecimalText.quoted(String(text))) is reversed: \(low) is greater than \(high)",
                             hint: "write the smaller value first: between \(high) and \(low)")
        }
        return .between(low, high)
    }

    /// `/pattern/` or `/pattern/i`; nil when the text only starts with a slash (a path such as `/health`).
    private static func parseRegex(_ text: Substring) throws(ValueError) -> Tolerance? {
        var body = text.dropFirst()
        var caseInsensitive = false
        if body.hasSuffix("/i") {
            caseInsensitive = true
            body = body.dropLast(2)
        } else if body.hasSuffix("/") {
            body = body.dropLast()
        } else {
            return nil
        }
        guard !body.isEmpty else {
            throw ValueError("the regular expression \(text) is empty and would match anything", hint: "write a pattern between the slashes, like /^ok/")
        }
        let pattern = (caseInsensitive ? "(?i)" : "") + body
        do {
            _ = try Regex(pattern)
        } catch {
            throw ValueError("invalid regular expression \(text)", hint: "check its brackets, parentheses, repetitions and escapes")
        }
        return .regex(pattern)
    }
}
