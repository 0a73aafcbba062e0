/// A number with an optional unit, as written in comparisons: `200ms`, `99.5%`, `512MiB`, `50/s`, or a plain `5`.
///
/// `value` is in the unit's base: seconds, percent (0–100), bytes, or per second.
public struct Quantity: Sendable, Hashable, CustomStringConvertible {
    public var value: Double
    public var unit: QuantityUnit

    public init(value: Double, unit: QuantityUnit) {
        self.value = value
        self.unit = unit
    }

    static let unitsHint = "units: us, ms, s, m, h, d (durations); % (percentages); B, KiB, MiB, GiB, TiB, kB, MB, GB, TB (sizes); /s, /m, /h (rates)"

    /// Reads a duration, percentage, byte size, rate, or plain number (which may be negative).
    public static func parse(_ text: String) throws(ValueError) -> Quantity {
        let trimmed = Substring(text).trimmingWhitespace()
        guard !trimmed.isEmpty else {
            throw ValueError("a value is missing", hint: "write a number, optionally with a unit: 5, 200ms, 99%, 512MiB, 50/s")
        }
        if let number = DecimalText.plainNumber(trimmed) { return Quantity(value: number, unit: .none) }
        guard let scan = DecimalText.scan(trimmed) else {
            throw ValueError("not a number or quantity: \(DecimalText.quoted(String(trimmed)))",
                             hint: "write a number, optionally with a unit: 5, 200ms, 99%, 512MiB, 50/s")
        }
        let afterSpace = scan.rest.trimmingWhitespace()
        let spaced = afterSpace.count != scan.rest.count
        let unitToken: Substring
        if afterSpace.first == "%" {
            unitToken = "%"
        } else if afterSpace.first == "/" {
            unitToken = afterSpace
        } else {
            unitToken = afterSpace.prefix { $0.isLetter }
        }
        let isDuration = DurationSyntax.units.contains { $0.name == unitToken }
        let isBytes = ByteSize.multiplier(for: unitToken) != nil
        let isRate = unitToken.first == "/"
        guard isDuration || isBytes || isRate || unitToken == "%" else {
            let shown = unitToken.isEmpty ? afterSpace : unitToken
            throw ValueError("unknown unit \(DecimalText.quoted(String(shown))) in \(DecimalText.quoted(String(trimmed)))", hint: unitsHint)
        }
        if spaced {
            throw ValueError("write the unit right after the number: \(DecimalText.quoted(String(trimmed)))",
                             hint: "write it like \(scan.number)\(afterSpace)")
        }
        if unitToken == "%" { return Quantity(value: try Percentage.parse(String(trimmed)).value, unit: .percent) }
        if isRate { return Quantity(value: try Rate.parse(String(trimmed)).perSecond, unit: .perSecond) }
        if isBytes { return Quantity(value: Double(try ByteSize.parse(String(trimmed)).bytes), unit: .bytes) }
        return Quantity(value: try DurationSyntax.parse(String(trimmed)).secondsValue, unit: .seconds)
    }

    /// Renders an observed value stored in the base unit: 0.412 s → `412ms`, 99.12 % → `99.12%`, 1048576 bytes →
    /// `1MiB`, 50 per second → `50/s`.
    public static func format(value: Double, unit: QuantityUnit) -> String {
        guard value.isFinite else { return DecimalText.format(value) }
        switch unit {
        case .none:
            return DecimalText.format(value)
        case .seconds:
            let nanoseconds = (value * 1e9).rounded()
            guard abs(nanoseconds) < 9e18 else { return DecimalText.format(value) + "s" }
            return DurationSyntax.format(.nanoseconds(Int64(nanoseconds)))
        case .percent:
            return DecimalText.format(value, maxFractionDigits: 4) + "%"
        case .bytes:
            guard abs(value) < 9e18 else { return DecimalText.format(value) + "B" }
            let whole = value.rounded()
            if whole != value { return DecimalText.format(value, maxFractionDigits: 2) + "B" }
            return ByteSize.format(Int64(whole))
        case .perSecond:
            return Rate(perSecond: value).description
        }
    }

    public var description: String { Self.format(value: value, unit: unit) }
}
