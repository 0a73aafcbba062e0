/// A share between 0% and 100%: `99.5%`, `0%`, `100%`. `value` is the number before the `%` sign (99.5, not 0.995).
public struct Percentage: Sendable, Hashable, CustomStringConvertible {
    public var value: Double

    public init(value: Double) {
        self.value = value
    }

    static let hint = "write it as a percentage: 99%"

    public static func parse(_ text: String) throws(ValueError) -> Percentage {
        let trimmed = Substring(text).trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ValueError("a percentage cannot be empty", hint: hint) }
        guard trimmed.last == "%" else {
            if DecimalText.plainNumber(trimmed) != nil { throw ValueError("a percentage needs a % sign", hint: hint) }
            throw ValueError("not a percentage: \(DecimalText.quoted(String(trimmed)))", hint: hint)
        }
        let numberText = trimmed.dropLast()
        guard let scan = DecimalText.scan(numberText), scan.rest.isEmpty,
              let value = Double(String(numberText)), value.isFinite else {
            throw ValueError("not a percentage: \(DecimalText.quoted(String(trimmed)))", hint: hint)
        }
        guard value >= 0, value <= 100 else {
            throw ValueError("percentage out of range: \(trimmed) (must be between 0% and 100%)")
        }
        return Percentage(value: value)
    }

    /// `99.5%`.
    public var description: String { DecimalText.format(value, maxFractionDigits: 4) + "%" }
}
