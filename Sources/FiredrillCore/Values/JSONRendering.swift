/// Compact, bounded renderings of observed JSON values for messages.
enum JSONRendering {
    /// `503`, `"degraded"`, `true`, `null`, `[1, 2]`, `{"a": 1}`; numbers in `unit` when one is given; long text
    /// is cut with `…`.
    static func render(_ value: JSONValue, unit: QuantityUnit? = nil, limit: Int = 120) -> String {
        var out = ""
        write(value, unit: unit, into: &out, limit: limit)
        if out.count > limit { out = String(out.prefix(limit)) + "…" }
        return out
    }

    private static func write(_ value: JSONValue, unit: QuantityUnit?, into out: inout String, limit: Int) {
        guard out.count <= limit else { return }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let x):
            if let unit, unit != .none { out += Quantity.format(value: x, unit: unit) } else { out += DecimalText.format(x) }
        case .string(let s):
            if let unit, unit != .none, let q = try? Quantity.parse(s), q.unit == unit || q.unit == .none {
                out += Quantity.format(value: q.value, unit: unit)
            } else {
                out += DecimalText.quoted(s, limit: limit)
            }
        case .array(let items):
            out += "["
            for (n, item) in items.enumerated() {
                if n > 0 { out += ", " }
                if out.count > limit { break }
                write(item, unit: unit, into: &out, limit: limit)
            }
            out += "]"
        case .object(let fields):
            out += "{"
            for (n, key) in fields.keys.sorted().enumerated() {
                if n > 0 { out += ", " }
                if out.count > limit { break }
                out += DecimalText.quoted(key, limit: limit) + ": "
                if let v = fields[key] { write(v, unit: unit, into: &out, limit: limit) }
            }
            out += "}"
        }
    }
}
