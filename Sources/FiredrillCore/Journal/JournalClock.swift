import Foundation

/// Where the journal's timestamps come from: a wall clock for `time` and a monotonic clock for `mono`.
/// Tests pass fixed clocks to get reproducible lines.
public struct JournalClock: Sendable {
    /// Wall-clock time in microseconds since 1970-01-01T00:00:00Z.
    public var wallMicroseconds: @Sendable () -> Int64
    /// Seconds on a clock that never goes backwards, from an arbitrary origin.
    public var monotonicSeconds: @Sendable () -> Double

    public init(wallMicroseconds: @escaping @Sendable () -> Int64, monotonicSeconds: @escaping @Sendable () -> Double) {
        self.wallMicroseconds = wallMicroseconds
        self.monotonicSeconds = monotonicSeconds
    }

    /// `CLOCK_REALTIME` and Swift's `ContinuousClock` (which keeps counting while the machine sleeps).
    public static let system: JournalClock = {
        let reference = ContinuousClock.now
        return JournalClock(
            wallMicroseconds: {
                var ts = timespec()
                clock_gettime(CLOCK_REALTIME, &ts)
                return Int64(ts.tv_sec) * 1_000_000 + Int64(ts.tv_nsec) / 1_000
            },
            monotonicSeconds: {
                let elapsed = reference.duration(to: .now).components
                return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
            }
        )
    }()

    /// RFC 3339 UTC with exactly six fractional digits: `2026-01-31T23:59:59.123456Z`.
    public static func rfc3339(microseconds: Int64) -> String {
        var seconds = microseconds / 1_000_000
        var fraction = microseconds % 1_000_000
        if fraction < 0 {
            fraction += 1_000_000
            seconds -= 1
        }
        var t = time_t(seconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func pad(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
        }
        return pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
            + "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
            + "." + pad(Int(fraction), 6) + "Z"
    }

    /// Reads back what `rfc3339(microseconds:)` writes; nil for any other shape.
    public static func microseconds(rfc3339 text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count == 27, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "."),
              b[26] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              let micros = number(20..<26) else { return nil }
        var parts = tm()
        parts.tm_year = Int32(year - 1900)
        parts.tm_mon = Int32(month - 1)
        parts.tm_mday = Int32(day)
        parts.tm_hour = Int32(hour)
        parts.tm_min = Int32(minute)
        parts.tm_sec = Int32(second)
        let seconds = timegm(&parts)
        return Int64(seconds) * 1_000_000 + Int64(micros)
    }
}
