extension CronExpression {
    /// The values each field matches, for exporting the schedule to another engine's syntax.
    public struct Fields: Sendable, Equatable {
        public var minutes: [Int]
        public var hours: [Int]
        public var days: [Int]
        public var months: [Int]
        /// 0 (Sunday) to 6.
        public var weekdays: [Int]
        /// Whether the day field was restricted (did not start with `*`).
        public var dayRestricted: Bool
        /// Whether the weekday field was restricted (did not start with `*`).
        public var weekdayRestricted: Bool
    }

    public var fields: Fields {
        func values(_ mask: UInt64, _ range: ClosedRange<Int>) -> [Int] { range.filter { mask & (1 << UInt64($0)) != 0 } }
        var weekdayValues = Set(values(weekdays, 0...6))
        if weekdays & (1 << 7) != 0 { weekdayValues.insert(0) }
        return Fields(minutes: values(minutes, 0...59), hours: values(hours, 0...23), days: values(days, 1...31),
                      months: values(months, 1...12), weekdays: weekdayValues.sorted(), dayRestricted: !dayStar,
                      weekdayRestricted: !weekdayStar)
    }
}
