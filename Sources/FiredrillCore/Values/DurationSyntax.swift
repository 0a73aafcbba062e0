/// Durations as plans write them: `250ms`, `5s`, `1.5s`, `15m`, `1h30m`, `2d`, `500us`, `0s`.
///
/// Rules:
/// - a unit is required (`us`, `ms`, `s`, `m`, `h`, `d`, lowercase); a bare number such as `5` is an error;
/// - several parts may follow each other from the largest unit to the smallest, each unit once: `1h30m`, `1m30.5s`;
/// - no sign and no space: `-5s` and `5 s` are errors, as are other unit spellings (`5sec`, `5min`);
/// - decimals are exact (`0.1s` is exactly 100ms); precision below one attosecond is dropped;
/// - at most 100 years (36500d).
public enum DurationSyntax {
    /// The units a duration may use, in attoseconds, longest spelling first so `ms` wins over `m`.
    static let units: [(name: String, attoseconds: Int128)] = [
        ("us", 1_000_000_000_000),
        ("ms", 1_000_000_000_000_000),
        ("s", 1_000_000_000_000_000_000),
        ("m", 60_000_000_000_000_000_000),
        ("h", 3_600_000_000_000_000_000_000),
        ("d", 86_400_000_000_000_000_000_000),
    ]

    static let hint = "write it with a unit: 500ms, 5s, 15m, 1h (units: us, ms, s, m, h, d)"

    private static let limit: Int128 = 36_500 * 86_400_000_000_000_000_000_000

    /// Reads a duration; the error says what is wrong in words a plan author understands.
    public static func parse(_ text: String) throws(ValueError) -> Duration {
        let trimmed = Substring(text).trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ValueError("a duration cannot be empty", hint: hint) }
        if trimmed.first == "-" {
            throw ValueError("a duration cannot be negative: \(trimmed)", hint: hint)
        }
        if DecimalText.plainNumber(trimmed) != nil {
            throw ValueError("a duration needs a unit", hint: hint)
        }
        var rest = trimmed
        var total: Int128 = 0
        var lastUnitIndex = units.count
        while !rest.isEmpty {
            guard let scan = DecimalText.scan(rest), !scan.negative, scan.number.first != "+" else {
                throw ValueError("not a duration: \(DecimalText.quoted(String(trimmed)))", hint: hint)
            }
            let unitText = scan.rest.prefix { $0.isLetter || $0 == "µ" }
            guard !unitText.isEmpty else {
                if scan.rest.first?.isWhitespace == true {
                    throw ValueError("a duration is written without spaces: \(DecimalText.quoted(String(trimmed)))", hint: hint)
                }
                if scan.rest.isEmpty {
                    throw ValueError("the last number in \(DecimalText.quoted(String(trimmed))) needs a unit", hint: hint)
                }
                throw ValueError("not a duration: \(DecimalText.quoted(String(trimmed)))", hint: hint)
            }
            guard let unitIndex = units.firstIndex(where: { $0.name == unitText }) else {
                throw ValueError("unknown duration unit \(DecimalText.quoted(String(unitText))) in \(DecimalText.quoted(String(trimmed)))", hint: hint)
            }
            if unitIndex == lastUnitIndex {
                throw ValueError("the unit \(unitText) appears twice in \(DecimalText.quoted(String(trimmed)))", hint: "write each unit once, from the largest to the smallest: 1h30m")
            }
            if unitIndex > lastUnitIndex {
                throw ValueError("units in \(DecimalText.quoted(String(trimmed))) must go from the largest to the smallest", hint: "write it like 1h30m or 1m30s")
            }
            lastUnitIndex = unitIndex
            guard let part = DecimalText.scaled(integer: scan.integer, fraction: scan.fraction, multiplier: units[unitIndex].attoseconds) else {
                throw ValueError("duration is too long: \(trimmed) (the limit is 36500d)")
            }
            total += part.value
            guard total <= limit else { throw ValueError("duration is too long: \(trimmed) (the limit is 36500d)") }
            rest = scan.rest.dropFirst(unitText.count)
        }
        return Duration(attoseconds: total)
    }

    /// The shortest exact form that `parse` reads back: `250ms`, `5s`, `1.5s`, `1m30s`, `1h`, `1d12h`.
    ///
    /// Sub-second parts of a longer duration use `ms` or `us` (`1m500ms`); negative durations get a leading `-`.
    public static func format(_ d: Duration) -> String {
        let atto = d.attoseconds
        if atto == 0 { return "0s" }
        if atto < 0 { return "-" + format(from: atto.magnitude) }
        return format(from: atto.magnitude)
    }

    private static func format(from magnitude: UInt128) -> String {
        // Durations fit Int128 in magnitude except Int128.min, which is clamped.
        let value = Int128(clamping: magnitude)
        let second = units[2].attoseconds
        if value < second { return subSecond(value) }
        var out = ""
        var rest = value
        for unit in units[3...].reversed() {
            let count = rest / unit.attoseconds
            if count > 0 { out += "\(count)\(unit.name)" }
            rest %= unit.attoseconds
        }
        if rest >= second {
            out += DecimalText.ratio(rest, second).text + "s"
        } else if rest > 0 {
            out += subSecond(rest)
        }
        return out
    }

    private static func subSecond(_ value: Int128) -> String {
        let ms = units[1].attoseconds
        let us = units[0].attoseconds
        if value >= ms { return DecimalText.ratio(value, ms).text + "ms" }
        return DecimalText.ratio(value, us).text + "us"
    }
}

extension Duration {
    /// The duration in seconds as a double, for arithmetic and display.
    var secondsValue: Double {
        let c = components
        return Double(c.seconds) + Double(c.attoseconds) / 1e18
    }
}
