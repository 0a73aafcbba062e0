import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One parsed line of `sandbox.log`.
public struct SandboxEvent: Sendable, Equatable {
    /// Seconds since 1970 (UTC), with microseconds.
    public let time: Double
    /// `started`, `worker-started`, `worker-listening`, `worker-exited`, `restarts-disabled`,
    /// `restarts-enabled`, `stopping`, `stopped`, `worker-spawn-failed`.
    public let name: String
    public let fields: [String: String]

    public subscript(_ key: String) -> String? { fields[key] }

    /// Parses `<RFC3339 UTC> <event> key=value…`; `nil` for anything else.
    public init?(line: String) {
        let parts = line.split(separator: " ")
        guard parts.count >= 2, let time = Self.parseTimestamp(String(parts[0])) else { return nil }
        var fields: [String: String] = [:]
        for part in parts.dropFirst(2) {
            guard let equals = part.firstIndex(of: "=") else { return nil }
            fields[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        self.time = time
        self.name = String(parts[1])
        self.fields = fields
    }

    /// `2025-01-31T12:00:00.123456Z` → seconds since 1970.
    static func parseTimestamp(_ text: String) -> Double? {
        let characters = Array(text.utf8)
        guard characters.count >= 20, characters.last == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int32? {
            guard range.upperBound <= characters.count else { return nil }
            return Int32(String(decoding: characters[range], as: UTF8.self))
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19)
        else { return nil }
        var parts = tm()
        parts.tm_year = year - 1900
        parts.tm_mon = month - 1
        parts.tm_mday = day
        parts.tm_hour = hour
        parts.tm_min = minute
        parts.tm_sec = second
        let whole = Double(timegm(&parts))
        var fraction = 0.0
        if characters[19] == UInt8(ascii: "."), characters.count > 21 {
            let digits = String(decoding: characters[20..<(characters.count - 1)], as: UTF8.self)
            guard let value = Double("0." + digits) else { return nil }
            fraction = value
        }
        return whole + fraction
    }
}
