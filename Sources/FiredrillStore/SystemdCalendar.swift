import FiredrillCore

/// A cron schedule as systemd `OnCalendar=` expressions (systemd.time(7)), in the plan's timezone.
///
/// Every field becomes its list of values (runs folded into `a..b`), so any cron the loader accepts converts
/// exactly. Cron's rule that a restricted day and a restricted weekday match either way becomes two expressions:
/// systemd requires both parts of one expression to match.
public enum SystemdCalendar {
    static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]

    public static func onCalendar(_ cron: CronExpression, timeZone: String) -> [String] {
        let f = cron.fields
        let time = list(f.hours, pad: true, all: 0...23) + ":" + list(f.minutes, pad: true, all: 0...59) + ":00"
        let months = list(f.months, pad: true, all: 1...12)
        func expression(weekdays: [Int]?, days: [Int]?) -> String {
            let weekdayPart = weekdays.map { w in weekdaysText(w) + " " } ?? ""
            let dayPart = days.map { list($0, pad: true, all: 1...31) } ?? "*"
            return "\(weekdayPart)*-\(months)-\(dayPart) \(time) \(timeZone)"
        }
        switch (f.dayRestricted, f.weekdayRestricted) {
        case (true, true):
            return [expression(weekdays: nil, days: f.days), expression(weekdays: f.weekdays, days: nil)]
        case (false, true):
            // `*/2` in the day field with a restricted weekday: both must match.
            return [expression(weekdays: f.weekdays, days: f.days.count == 31 ? nil : f.days)]
        case (true, false):
            return [expression(weekdays: f.weekdays.count == 7 ? nil : f.weekdays, days: f.days)]
        case (false, false):
            return [expression(weekdays: f.weekdays.count == 7 ? nil : f.weekdays, days: f.days.count == 31 ? nil : f.days)]
        }
    }

    static func weekdaysText(_ days: [Int]) -> String {
        folded(days).map { $0.lowerBound == $0.upperBound ? weekdayNames[$0.lowerBound] : weekdayNames[$0.lowerBound] + ".." + weekdayNames[$0.upperBound] }
            .joined(separator: ",")
    }

    /// `*` for every value, else `00,15,30,45` / `01..05,10`.
    static func list(_ values: [Int], pad: Bool, all: ClosedRange<Int>) -> String {
        if values.count == all.count { return "*" }
        func text(_ v: Int) -> String { pad && v < 10 ? "0\(v)" : String(v) }
        return folded(values).map { $0.count >= 3 ? text($0.lowerBound) + ".." + text($0.upperBound)
            : $0.map(text).joined(separator: ",") }.joined(separator: ",")
    }

    /// Sorted values as runs of consecutive integers.
    static func folded(_ values: [Int]) -> [ClosedRange<Int>] {
        var runs: [ClosedRange<Int>] = []
        for v in values.sorted() {
            if let last = runs.last, last.upperBound + 1 == v {
                runs[runs.count - 1] = last.lowerBound...v
            } else {
                runs.append(v...v)
            }
        }
        return runs
    }
}
