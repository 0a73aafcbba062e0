import Foundation

/// A standard five-field cron schedule: `minute hour day month weekday`.
///
/// Each field takes `*`, numbers, lists (`1,15`), ranges (`1-5`), steps (`*/15`, `10-50/10`, `5/15` = `5-59/15`),
/// and in the month and weekday fields names (`jan`–`dec`, `sun`–`sat`, any case); weekday `7` is Sunday, as is
/// `sun` at the end of a range (`mon-sun`). Macros: `@hourly`, `@daily`, `@midnight`, `@weekly`, `@monthly`,
/// `@yearly`, `@annually`.
///
/// Day and weekday follow the classic cron rule: when both fields are restricted (neither starts with `*`), a day
/// matches if either matches; otherwise both must match (so `*/2` in one of them still means "and").
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    /// The schedule as written.
    public let text: String
    let minutes: UInt64
    let hours: UInt64
    let days: UInt64
    let months: UInt64
    let weekdays: UInt64
    let dayStar: Bool
    let weekdayStar: Bool

    public var description: String { text }

    private struct FieldSpec {
        var name: String
        var low: Int
        var high: Int
        var names: [String]
        var namesHint: String
    }

    private static let specs = [
        FieldSpec(name: "minute", low: 0, high: 59, names: [], namesHint: ""),
        FieldSpec(name: "hour", low: 0, high: 23, names: [], namesHint: ""),
        FieldSpec(name: "day", low: 1, high: 31, names: [], namesHint: ""),
        FieldSpec(name: "month", low: 1, high: 12,
                  names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
                  namesHint: " or month name (jan-dec)"),
        FieldSpec(name: "weekday", low: 0, high: 7,
                  names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"], namesHint: " or day name (sun-sat)"),
    ]

    private static let macros: [String: String] = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    static let hint = "write 5 fields: minute hour day month weekday, e.g. \"0 3 1 * *\" is 03:00 on the 1st of every month"

    public static func parse(_ text: String) throws(ValueError) -> CronExpression {
        let trimmed = String(Substring(text).trimmingWhitespace())
        guard !trimmed.isEmpty else { throw ValueError("a cron schedule cannot be empty", hint: hint) }
        var fields = trimmed.split(whereSeparator: \.isWhitespace).map(String.init)
        if trimmed.hasPrefix("@") {
            let macro = trimmed.lowercased()
            if macro == "@reboot" {
                throw ValueError("@reboot is not a time: a schedule needs a time", hint: hint)
            }
            guard let expansion = macros[macro] else {
                throw ValueError("unknown cron macro \(DecimalText.quoted(trimmed))",
                                 hint: "macros: @hourly, @daily, @midnight, @weekly, @monthly, @yearly, @annually")
            }
            fields = expansion.split(separator: " ").map(String.init)
        }
        guard fields.count == 5 else {
            throw ValueError("cron needs 5 fields (minute hour day month weekday), found \(fields.count)", hint: hint)
        }
        var masks: [UInt64] = []
        for (field, spec) in zip(fields, specs) {
            masks.append(try parseField(field, spec))
        }
        let expression = CronExpression(
            text: trimmed, minutes: masks[0], hours: masks[1], days: masks[2], months: masks[3], weekdays: masks[4],
            dayStar: fields[2].hasPrefix("*"), weekdayStar: fields[4].hasPrefix("*")
        )
        if expression.dayStar || expression.weekdayStar {
            let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
            let possible = (1...12).contains { month in
                masks[3] & (1 << UInt64(month)) != 0 && (1...longest[month]).contains { masks[2] & (1 << UInt64($0)) != 0 }
            }
            if !possible {
                throw ValueError("the cron schedule \(DecimalText.quoted(trimmed)) never runs: none of its months has the chosen day",
                                 hint: "check the day and month fields; April, June, September and November have 30 days, February 29")
            }
        }
        return expression
    }

    private static func parseField(_ field: String, _ spec: FieldSpec) throws(ValueError) -> UInt64 {
        var mask: UInt64 = 0
        let items = field.split(separator: ",", omittingEmptySubsequences: false)
        for item in items {
            guard !item.isEmpty else {
                throw ValueError("\(spec.name) field \(DecimalText.quoted(field)) has an empty list item", hint: hint)
            }
            let parts = item.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count <= 2 else {
                throw ValueError("\(spec.name) field \(DecimalText.quoted(String(item))) has more than one \"/\"", hint: hint)
            }
            var step = 1
            if parts.count == 2 {
                guard let s = smallNumber(parts[1]) else {
                    throw ValueError("\(spec.name) field \(DecimalText.quoted(String(item))): the step \(DecimalText.quoted(String(parts[1]))) is not a number", hint: hint)
                }
                guard s >= 1 else {
                    throw ValueError("\(spec.name) field \(DecimalText.quoted(String(item))): the step must be at least 1", hint: hint)
                }
                step = s
            }
            let range = parts[0]
            var low: Int
            var high: Int
            if range == "*" {
                low = spec.low
                high = spec.name == "weekday" ? 6 : spec.high
            } else {
                let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
                guard bounds.count <= 2 else {
                    throw ValueError("\(spec.name) field \(DecimalText.quoted(String(item))) is not a range like 1-5", hint: hint)
                }
                low = try value(bounds[0], item: item, spec)
                if bounds.count == 2 {
                    high = try value(bounds[1], item: item, spec)
                    if spec.name == "weekday", high == 0, bounds[1].lowercased() == "sun", low > 0 { high = 7 }
                } else {
                    high = parts.count == 2 ? spec.high : low
                }
                guard low <= high else {
                    throw ValueError("\(spec.name) field \(DecimalText.quoted(String(item))): the range starts after it ends",
                                     hint: "write the smaller value first, like \(high)-\(low)")
                }
            }
            for v in stride(from: low, through: high, by: step) {
                let bit = spec.name == "weekday" && v == 7 ? 0 : v
                mask |= 1 << UInt64(bit)
            }
        }
        return mask
    }

    private static func smallNumber(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 4, text.allSatisfy(DecimalText.isDigit) else { return nil }
        return Int(text)
    }

    private static func value(_ token: Substring, item: Substring, _ spec: FieldSpec) throws(ValueError) -> Int {
        if let n = smallNumber(token) ?? (token.allSatisfy(DecimalText.isDigit) && !token.isEmpty ? Int.max : nil) {
            guard n >= spec.low, n <= spec.high else {
                throw ValueError("\(spec.name) field \(DecimalText.quoted(String(item))) is out of range \(spec.low)-\(spec.high)", hint: hint)
            }
            return n
        }
        if let index = spec.names.firstIndex(of: token.lowercased()) {
            return spec.name == "month" ? index + 1 : index
        }
        throw ValueError("\(spec.name) field \(DecimalText.quoted(String(item))): \(DecimalText.quoted(String(token))) is not a number\(spec.namesHint)", hint: hint)
    }

    /// Whether `name` is a time zone this system knows, such as `Asia/Kolkata` or `UTC`.
    public static func isValidTimeZone(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isASCII && !$0.isWhitespace }) else { return false }
        return TimeZone(identifier: name) != nil
    }
}
