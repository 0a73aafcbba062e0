/// How often something happens: `50/s`, `3000/m`, `10/min`, `1/h`.
///
/// Units: `/s` (`/sec`, `/second`), `/m` (`/min`, `/minute`), `/h` (`/hr`, `/hour`). The number may be a decimal;
/// it must be from 1/h to 1000000/s. No spaces.
public struct Rate: Sendable, Hashable, CustomStringConvertible {
    public var perSecond: Double

    public init(perSecond: Double) {
        self.perSecond = perSecond
    }

    static let hint = "write a rate like 50/s or 600/m"

    /// The fastest rate a plan may ask for; anything faster is a typo, and would overflow the arithmetic of pacing.
    public static let maxPerSecond: Double = 1_000_000
    /// The slowest rate a plan may ask for.
    public static let minPerSecond: Double = 1.0 / 3600

    private static let units: [String: Double] = [
        "s": 1, "sec": 1, "second": 1,
        "m": 60, "min": 60, "minute": 60,
        "h": 3600, "hr": 3600, "hour": 3600,
    ]

    public static func parse(_ text: String) throws(ValueError) -> Rate {
        let trimmed = Substring(text).trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ValueError("a rate cannot be empty", hint: hint) }
        guard let slash = trimmed.firstIndex(of: "/") else {
            if DecimalText.plainNumber(trimmed) != nil { throw ValueError("a rate needs a unit", hint: hint) }
            throw ValueError("not a rate: \(DecimalText.quoted(String(trimmed)))", hint: hint)
        }
        let numberText = trimmed[..<slash]
        let unitText = trimmed[trimmed.index(after: slash)...]
        guard let scan = DecimalText.scan(numberText), scan.rest.isEmpty,
              let count = Double(String(numberText)), count.isFinite else {
            throw ValueError("not a rate: \(DecimalText.quoted(String(trimmed)))", hint: hint)
        }
        guard let seconds = units[String(unitText)] else {
            throw ValueError("unknown rate unit \(DecimalText.quoted("/" + unitText)) in \(DecimalText.quoted(String(trimmed))) (use /s, /m or /h)", hint: hint)
        }
        guard count > 0 else { throw ValueError("a rate must be greater than zero: \(trimmed)", hint: hint) }
        let perSecond = count / seconds
        guard perSecond <= maxPerSecond else {
            throw ValueError("a rate may be at most 1000000/s: \(trimmed)", hint: hint)
        }
        guard perSecond >= minPerSecond * (1 - 1e-9) else {
            throw ValueError("a rate must be at least 1/h: \(trimmed)", hint: hint)
        }
        return Rate(perSecond: perSecond)
    }

    /// `50/s`; a rate below one per second is shown per minute or per hour (`30/m`, `1/h`).
    public var description: String {
        guard perSecond.isFinite, perSecond > 0 else { return DecimalText.format(perSecond) + "/s" }
        if perSecond >= 1 { return DecimalText.format(perSecond, maxFractionDigits: 3) + "/s" }
        if perSecond * 60 >= 1 { return DecimalText.format(perSecond * 60, maxFractionDigits: 3) + "/m" }
        return DecimalText.format(perSecond * 3600, maxFractionDigits: 3) + "/h"
    }
}
