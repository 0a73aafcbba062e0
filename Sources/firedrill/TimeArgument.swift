import FiredrillCore
import FiredrillStore
import Foundation

/// A point in time on the command line: `2026-11-01`, `2026-11-01T03:00:00Z`, or a duration back from now (`30d`).
enum TimeArgument {
    static func parse(_ text: String, now: Date = Date()) -> Date? {
        if let duration = try? DurationSyntax.parse(text) {
            let (seconds, attoseconds) = duration.components
            return now.addingTimeInterval(-(Double(seconds) + Double(attoseconds) / 1e18))
        }
        if text.count == 10, let epoch = RunRecord.epoch(text + "T00:00:00Z") { return Date(timeIntervalSince1970: epoch) }
        return RunRecord.epoch(text).map { Date(timeIntervalSince1970: $0) }
    }

    static let help = "a date (2026-11-01, UTC), an RFC 3339 UTC time (2026-11-01T03:00:00Z) or a duration back from now (30d)"
}
