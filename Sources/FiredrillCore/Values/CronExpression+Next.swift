import Foundation

extension CronExpression {
    /// The first time strictly after `date` at which the schedule runs, in `timeZone`'s wall clock; nil when it does
    /// not run within about four years.
    ///
    /// Daylight saving: a wall time skipped by a spring-forward change runs at the moment the clocks jump (once);
    /// a wall time that happens twice in a fall-back change runs at its first occurrence only.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }
        let start = Int64((seconds / 60).rounded(.down)) * 60 + 60
        let localStart = start + Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(start))))
        var day = Self.floorDivide(localStart, 86_400) - 1
        for _ in 0..<(4 * 366 + 3) {
            defer { day += 1 }
            let (_, month, dayOfMonth) = Self.civil(day)
            guard months & (1 << UInt64(month)) != 0 else { continue }
            let weekday = Int(Self.floorModulo(day + 4, 7))
            let dayMatches = days & (1 << UInt64(dayOfMonth)) != 0
            let weekdayMatches = weekdays & (1 << UInt64(weekday)) != 0
            let matches = dayStar || weekdayStar ? dayMatches && weekdayMatches : dayMatches || weekdayMatches
            guard matches else { continue }
            for hour in 0..<24 where hours & (1 << UInt64(hour)) != 0 {
                for minute in 0..<60 where minutes & (1 << UInt64(minute)) != 0 {
                    let wall = day * 86_400 + Int64(hour) * 3600 + Int64(minute) * 60
                    if wall < localStart - 3 * 3600 { continue }
                    if let instant = Self.instant(wall: wall, in: timeZone), instant >= start {
                        return Date(timeIntervalSince1970: TimeInterval(instant))
                    }
                }
            }
        }
        return nil
    }

    /// The earliest instant whose wall-clock time in `zone` is `wall` (seconds since 1970 as if the zone were UTC);
    /// for a wall time inside a spring-forward gap, the instant the clocks jumped.
    static func instant(wall: Int64, in zone: TimeZone) -> Int64? {
        func offset(_ t: Int64) -> Int64 { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t)))) }
        let before = offset(wall - 86_400)
        let after = offset(wall + 86_400)
        for candidate in Set([wall - before, wall - after]).sorted() where offset(candidate) == wall - candidate {
            return candidate
        }
        guard after > before else { return nil }
        // Inside a gap: find the first instant that already has the later offset.
        var low = wall - after
        var high = wall - before
        let lowOffset = offset(low)
        while high - low > 1 {
            let mid = low + (high - low) / 2
            if offset(mid) == lowOffset { low = mid } else { high = mid }
        }
        return high
    }

    static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    static func floorModulo(_ a: Int64, _ b: Int64) -> Int64 {
        let r = a % b
        return r < 0 ? r + b : r
    }

    /// Year, month and day of a count of days since 1970-01-01 in the proleptic Gregorian calendar.
    static func civil(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
