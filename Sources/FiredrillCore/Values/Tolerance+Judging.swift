import Foundation

extension Tolerance {
    /// Judges an observed value. Never traps: a value of the wrong kind (text where a duration is expected, a
    /// missing field) is a failed judgement that says so.
    ///
    /// `label` names the value in the message (`p95 412ms, expected < 200ms`); fields of a map are labelled by
    /// their key, nested plain keys as `parent.child`.
    ///
    /// `fields` are the probe's declared fields: a percentage written against a ratio field (0–1) is judged by
    /// showing the observed ratio as a percentage, so `< 1%` passes for 0.005 and fails for 0.05 (`value 5%,
    /// expected < 1%`).
    public func judge(_ observed: JSONValue, label: String, fields: [ProbeField] = []) -> Judgement {
        let ratios = Set(fields.filter { $0.kind == .ratio }.map(\.name))
        return judge(observed, label: label, nested: false, ratios: ratios)
    }

    private func judge(_ observed: JSONValue, label: String, nested: Bool, ratios: Set<String> = []) -> Judgement {
        switch self {
        case .fields(let fields):
            return judgeFields(fields, observed: observed, label: label, nested: nested, ratios: ratios)
        case .anyOf(let items):
            let passed = items.contains { $0.judge(observed, label: label, nested: nested).passed }
            return simple(passed, observed: observed, label: label)
        case .literal(let expected):
            return simple(Self.literalMatches(expected, observed), observed: observed, label: label)
        case .regex(let pattern):
            guard let regex = try? Regex(pattern) else {
                return simple(false, observed: observed, label: label, note: "invalid regular expression")
            }
            guard let text = Self.text(of: observed) else {
                return simple(false, observed: observed, label: label, note: "no text to match")
            }
            return simple(text.contains(regex), observed: observed, label: label)
        case .compare(let op, let quantity):
            switch Self.number(observed, as: quantity.unit) {
            case .success(let value):
                return simple(op.holds(value, quantity.value), observed: observed, label: label)
            case .failure(let note):
                return simple(false, observed: observed, label: label, note: note.reason)
            }
        case .between(let low, let high):
            switch Self.number(observed, as: low.unit) {
            case .success(let value):
                let inside = ComparisonOperator.greaterThanOrEqual.holds(value, low.value)
                    && ComparisonOperator.lessThanOrEqual.holds(value, high.value)
                return simple(inside, observed: observed, label: label)
            case .failure(let note):
                return simple(false, observed: observed, label: label, note: note.reason)
            }
        }
    }

    private func simple(_ passed: Bool, observed: JSONValue, label: String, note: String? = nil) -> Judgement {
        let observedText = JSONRendering.render(observed, unit: displayUnit)
        let expected = description
        var message = (label.isEmpty ? "" : label + " ") + "\(observedText), expected \(expected)"
        if let note { message += " (\(note))" }
        return Judgement(passed: passed, expected: expected, observed: observedText, message: message)
    }

    // MARK: Fields

    private func judgeFields(_ fields: [FieldTolerance], observed: JSONValue, label: String, nested: Bool, ratios: Set<String>) -> Judgement {
        let object = Self.object(observed)
        var results: [Judgement] = []
        for field in fields {
            switch field.selector {
            case .field(let name):
                let fieldLabel = nested && !label.isEmpty ? "\(label).\(name)" : name
                guard let object else {
                    results.append(missing(fieldLabel, field: field, note: "observed value is \(Self.kindName(observed)), not an object"))
                    continue
                }
                guard let value = object[name] ?? Self.caseInsensitiveField(name, in: object) else {
                    let names = object.keys.sorted()
                    let shown = names.isEmpty ? "none" : names.prefix(20).joined(separator: ", ") + (names.count > 20 ? ", …" : "")
                    results.append(missing(fieldLabel, field: field, note: "observed fields: \(shown)"))
                    continue
                }
                var judged = value
                if !nested, ratios.contains(name), field.tolerance.displayUnit == .percent, case .number(let ratio) = value {
                    judged = .number(ratio * 100)
                }
                results.append(field.tolerance.judge(judged, label: fieldLabel, nested: true))
            case .path(let path):
                results.append(judgePath(path, tolerance: field.tolerance, observed: observed))
            }
        }
        let passed = results.allSatisfy(\.passed)
        let shown = passed ? results : results.filter { !$0.passed }
        return Judgement(
            passed: passed,
            expected: description,
            observed: JSONRendering.render(observed),
            message: shown.map(\.message).joined(separator: "; ")
        )
    }

    private func missing(_ label: String, field: FieldTolerance, note: String) -> Judgement {
        Judgement(passed: false, expected: field.tolerance.description, observed: "missing",
                  message: "field \(label) missing (\(note))")
    }

    private func judgePath(_ path: JSONPath, tolerance: Tolerance, observed: JSONValue) -> Judgement {
        var matches = path.evaluate(observed)
        if matches.isEmpty, case .string(let text) = observed, let decoded = Self.decodeJSON(text) {
            matches = path.evaluate(decoded)
        }
        switch matches.count {
        case 0:
            return Judgement(passed: false, expected: tolerance.description, observed: "missing",
                             message: "\(path.text) missing (no value at this path)")
        case 1:
            return tolerance.judge(matches[0], label: path.text, nested: false)
        default:
            let judgements = matches.map { tolerance.judge($0, label: path.text, nested: false) }
            if let pass = judgements.first(where: \.passed) { return pass }
            return tolerance.simple(false, observed: .array(matches), label: path.text)
        }
    }

    // MARK: Value helpers

    private static func object(_ value: JSONValue) -> [String: JSONValue]? {
        if case .object(let fields) = value { return fields }
        if case .string(let text) = value, case .object(let fields)? = decodeJSON(text) { return fields }
        return nil
    }

    private static func caseInsensitiveField(_ name: String, in object: [String: JSONValue]) -> JSONValue? {
        let lowered = name.lowercased()
        return object.keys.sorted().first { $0.lowercased() == lowered }.flatMap { object[$0] }
    }

    /// A JSON document held in a string (an HTTP body), when it looks like one.
    private static func decodeJSON(_ text: String) -> JSONValue? {
        guard let first = text.first(where: { !$0.isWhitespace }), first == "{" || first == "[" else { return nil }
        return try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8))
    }

    static func kindName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "a list"
        case .object: "an object"
        }
    }

    /// The text a regular expression is matched against; nil for null.
    private static func text(of value: JSONValue) -> String? {
        switch value {
        case .null: return nil
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let x): return DecimalText.format(x, maxFractionDigits: 12)
        case .array, .object:
            guard let data = try? JSONEncoder().encode(value) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }

    struct Mismatch: Error {
        var reason: String
    }

    /// An observed value as a number in `unit`'s base. Numbers are taken as already in the base unit; strings are
    /// read as quantities and must have the same unit (or none).
    private static func number(_ value: JSONValue, as unit: QuantityUnit) -> Result<Double, Mismatch> {
        switch value {
        case .number(let x):
            return .success(x)
        case .string(let text):
            guard let q = try? Quantity.parse(text) else {
                return .failure(Mismatch(reason: "observed value is not a number"))
            }
            guard q.unit == unit || q.unit == .none || unit == .none else {
                return .failure(Mismatch(reason: "observed \(q.unit.kindName), expected \(unit.kindName)"))
            }
            return .success(q.value)
        case .bool, .null, .array, .object:
            return .failure(Mismatch(reason: "observed value is \(kindName(value)), not a number"))
        }
    }

    static func literalMatches(_ expected: JSONValue, _ observed: JSONValue) -> Bool {
        switch (expected, observed) {
        case (.number(let e), .number(let o)):
            return ComparisonOperator.approximatelyEqual(o, e)
        case (.number(let e), .string(let o)):
            guard let o = DecimalText.plainNumber(o.trimmingCharacters(in: .whitespaces)) else { return false }
            return ComparisonOperator.approximatelyEqual(o, e)
        case (.string(let e), .string(let o)):
            return e == o
        case (.string(let e), .number(let o)):
            guard let e = DecimalText.plainNumber(e.trimmingCharacters(in: .whitespaces)) else { return false }
            return ComparisonOperator.approximatelyEqual(o, e)
        case (.string(let e), .bool(let o)):
            return e.lowercased() == (o ? "true" : "false")
        case (.bool(let e), .string(let o)):
            return o.lowercased() == (e ? "true" : "false")
        default:
            return expected == observed
        }
    }
}
