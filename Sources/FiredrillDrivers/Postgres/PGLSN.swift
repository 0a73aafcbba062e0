/// A PostgreSQL WAL position (`pg_lsn`), as the server prints it: two hexadecimal halves, `16/B374D848`.
public struct PGLSN: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) {
        self.value = value
    }

    /// Parses `X/Y`; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...8).contains(parts[0].count), (1...8).contains(parts[1].count),
              let high = UInt64(parts[0], radix: 16), let low = UInt64(parts[1], radix: 16) else { return nil }
        value = high << 32 | low
    }

    public var description: String {
        String(value >> 32, radix: 16, uppercase: true) + "/" + String(value & 0xFFFF_FFFF, radix: 16, uppercase: true)
    }

    /// Bytes of WAL from `other` to `self` (negative when `self` is behind), like `pg_wal_lsn_diff(self, other)`.
    public func bytes(since other: PGLSN) -> Int64 {
        self.value >= other.value ? Int64(self.value - other.value) : -Int64(other.value - self.value)
    }

    public static func < (a: PGLSN, b: PGLSN) -> Bool { a.value < b.value }
}
