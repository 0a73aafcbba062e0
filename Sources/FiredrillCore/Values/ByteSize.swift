/// An amount of memory or data: `512MiB`, `1GiB`, `10KiB`, `100B`, and SI sizes `1kB`, `1MB`, `1GB` (powers of 10).
///
/// Units are case-sensitive (`KB` is accepted as `kB`). Decimals are allowed when the result is a whole number of
/// bytes (`1.5KiB` is 1536 bytes; `0.5B` is an error).
public struct ByteSize: Sendable, Hashable, CustomStringConvertible {
    public var bytes: Int64

    public init(bytes: Int64) {
        self.bytes = bytes
    }

    static let hint = "write it with a unit: 512MiB, 1GiB, 100B (units: B, KiB, MiB, GiB, TiB, kB, MB, GB, TB)"

    static let units: [(name: String, bytes: Int64)] = [
        ("B", 1),
        ("KiB", 1 << 10), ("MiB", 1 << 20), ("GiB", 1 << 30), ("TiB", 1 << 40), ("PiB", 1 << 50),
        ("kB", 1_000), ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("TB", 1_000_000_000_000), ("PB", 1_000_000_000_000_000),
    ]

    static func multiplier(for unit: Substring) -> Int64? {
        units.first { $0.name == unit }?.bytes
    }

    public static func parse(_ text: String) throws(ValueError) -> ByteSize {
        let trimmed = Substring(text).trimmingWhitespace()
        guard !trimmed.isEmpty else { throw ValueError("a byte size cannot be empty", hint: hint) }
        if DecimalText.plainNumber(trimmed) != nil { throw ValueError("a byte size needs a unit", hint: hint) }
        guard let scan = DecimalText.scan(trimmed), scan.number.first != "+" else {
            throw ValueError("not a byte size: \(DecimalText.quoted(String(trimmed)))", hint: hint)
        }
        if scan.negative { throw ValueError("a byte size cannot be negative: \(trimmed)", hint: hint) }
        if scan.rest.first?.isWhitespace == true {
            throw ValueError("a byte size is written without spaces: \(DecimalText.quoted(String(trimmed)))", hint: hint)
        }
        guard let multiplier = multiplier(for: scan.rest) else {
            throw ValueError("unknown size unit \(DecimalText.quoted(String(scan.rest))) in \(DecimalText.quoted(String(trimmed)))", hint: hint)
        }
        guard let result = DecimalText.scaled(integer: scan.integer, fraction: scan.fraction, multiplier: Int128(multiplier)),
              result.value <= Int128(Int64.max) else {
            throw ValueError("byte size is too large: \(trimmed)")
        }
        guard result.exact else {
            throw ValueError("a byte size must be a whole number of bytes: \(trimmed)", hint: hint)
        }
        return ByteSize(bytes: Int64(result.value))
    }

    /// The shortest exact form (`1MiB`, `1.5KiB`, `1kB`, `100B`); sizes with no short exact form are shown rounded
    /// in binary units (`117.74MiB`).
    public var description: String { Self.format(bytes) }

    static func format(_ bytes: Int64) -> String {
        if bytes < 0 { return "-" + format(bytes == Int64.min ? Int64.max : -bytes) }
        if bytes < 1000 { return "\(bytes)B" }
        var best: String?
        for unit in units where unit.bytes > 1 && unit.name != "KB" && unit.bytes <= bytes {
            let (text, exact) = DecimalText.ratio(Int128(bytes), Int128(unit.bytes), maxDigits: 3)
            let whole = Int128(bytes) / Int128(unit.bytes)
            let isLargest = unit.name == "PiB" || unit.name == "PB"
            guard exact, isLargest || whole < (unit.name.hasSuffix("iB") ? 1024 : 1000) else { continue }
            let candidate = text + unit.name
            if best == nil || candidate.count < best!.count { best = candidate }
        }
        if let best { return best }
        if bytes < 1024 { return "\(bytes)B" }
        let binary = units[1...5].last { $0.bytes <= bytes } ?? units[1]
        return DecimalText.format(Double(bytes) / Double(binary.bytes), maxFractionDigits: 2) + binary.name
    }
}
