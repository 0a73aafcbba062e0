import Foundation
import Testing
@testable import FiredrillCore

@Suite("Cron expression")
struct CronExpressionTests {
    static func date(_ iso: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: iso)!
    }

    static func next(_ cron: String, after iso: String, in zone: String = "UTC") throws -> String? {
        let expression = try CronExpression.parse(cron)
        let tz = try #require(TimeZone(identifier: zone))
        guard let next = expression.next(after: date(iso), in: tz) else { return nil }
        return ISO8601DateFormatter().string(from: next)
    }

    @Test(arguments: [
        ("0 3 1 * *", "2026-11-22T00:00:00Z", "Asia/Kolkata", "2026-11-30T21:30:00Z"),
        ("*/15 * * * *", "2026-01-01T00:07:30Z", "UTC", "2026-01-01T00:15:00Z"),
        ("0 * * * *", "2026-01-01T10:00:00Z", "UTC", "2026-01-01T11:00:00Z"),
        ("0 9 * * mon-fri", "2026-01-03T12:00:00Z", "UTC", "2026-01-05T09:00:00Z"),
        ("0 0 13 * fri", "2026-01-01T00:00:00Z", "UTC", "2026-01-02T00:00:00Z"),
        ("0 0 */2 * 1", "2026-01-01T00:00:00Z", "UTC", "2026-01-05T00:00:00Z"),
        ("0 0 29 2 *", "2026-03-01T00:00:00Z", "UTC", "2028-02-29T00:00:00Z"),
        ("@yearly", "2026-05-05T00:00:00Z", "UTC", "2027-01-01T00:00:00Z"),
        ("@weekly", "2026-01-01T00:00:00Z", "UTC", "2026-01-04T00:00:00Z"),
        ("@hourly", "2026-01-01T00:59:59Z", "UTC", "2026-01-01T01:00:00Z"),
        ("@monthly", "2026-01-15T00:00:00Z", "Asia/Kolkata", "2026-01-31T18:30:00Z"),
        ("0 0 * * 7", "2026-01-01T00:00:00Z", "UTC", "2026-01-04T00:00:00Z"),
        ("0 0 * * sun", "2026-01-01T00:00:00Z", "UTC", "2026-01-04T00:00:00Z"),
        ("0 12 1 JAN,jul *", "2026-01-02T00:00:00Z", "UTC", "2026-07-01T12:00:00Z"),
        ("10-50/10 * * * *", "2026-01-01T00:50:00Z", "UTC", "2026-01-01T01:10:00Z"),
        ("5/20 * * * *", "2026-01-01T00:46:00Z", "UTC", "2026-01-01T01:05:00Z"),
        ("0 0 * * sat-sun", "2026-01-01T00:00:00Z", "UTC", "2026-01-03T00:00:00Z"),
        ("0 0 * * fri-sun", "2026-01-02T00:00:00Z", "UTC", "2026-01-03T00:00:00Z"),
        ("0 0 1 1 *", "2026-12-31T23:59:00Z", "America/New_York", "2027-01-01T05:00:00Z"),
        ("30 9 * * *", "2026-06-01T00:00:00Z", "Australia/Adelaide", "2026-06-02T00:00:00Z"),
    ])
    func findsNextRun(cron: String, after: String, zone: String, expected: String) throws {
        #expect(try Self.next(cron, after: after, in: zone) == expected)
    }

    @Test func springForwardGapRunsWhenTheClocksJump() throws {
        // 2026-03-08 02:00 EST becomes 03:00 EDT in New York (07:00Z); 02:30 does not exist that day.
        #expect(try Self.next("30 2 * * *", after: "2026-03-08T05:00:00Z", in: "America/New_York") == "2026-03-08T07:00:00Z")
        #expect(try Self.next("30 2 * * *", after: "2026-03-08T07:00:00Z", in: "America/New_York") == "2026-03-09T06:30:00Z")
        #expect(try Self.next("0 3 * * *", after: "2026-03-08T05:00:00Z", in: "America/New_York") == "2026-03-08T07:00:00Z")
    }

    @Test func fallBackRepeatedHourRunsOnce() throws {
        // 2026-11-01 02:00 EDT becomes 01:00 EST (06:00Z); 01:30 happens at 05:30Z and again at 06:30Z.
        #expect(try Self.next("30 1 * * *", after: "2026-11-01T04:00:00Z", in: "America/New_York") == "2026-11-01T05:30:00Z")
        #expect(try Self.next("30 1 * * *", after: "2026-11-01T05:30:00Z", in: "America/New_York") == "2026-11-02T06:30:00Z")
        #expect(try Self.next("0 * * * *", after: "2026-11-01T05:30:00Z", in: "America/New_York") == "2026-11-01T07:00:00Z")
    }

    @Test func everyMinuteAdvancesOneMinuteAtATime() throws {
        let expression = try CronExpression.parse("* * * * *")
        let tz = try #require(TimeZone(identifier: "Asia/Kolkata"))
        var current = Self.date("2026-03-29T00:00:30Z")
        for _ in 0..<200 {
            let next = try #require(expression.next(after: current, in: tz))
            #expect(next.timeIntervalSince(current) <= 60 && next > current)
            #expect(Int(next.timeIntervalSince1970) % 60 == 0)
            current = next
        }
    }

    @Test func returnsNilBeyondFourYears() throws {
        // 2100 is not a leap year, so after March 2096 the next 29 February is in 2104.
        #expect(try Self.next("0 0 29 2 *", after: "2096-03-01T00:00:00Z") == nil)
        let expression = try CronExpression.parse("* * * * *")
        #expect(expression.next(after: Date(timeIntervalSince1970: 1e13), in: .gmt) == nil)
        #expect(expression.next(after: .distantFuture, in: .gmt) != nil)
        #expect(expression.next(after: Date(timeIntervalSince1970: .nan), in: .gmt) == nil)
    }

    @Test(arguments: [
        ("61 * * * *", "minute field \"61\" is out of range 0-59"),
        ("* * * * * *", "cron needs 5 fields (minute hour day month weekday), found 6"),
        ("* * * *", "cron needs 5 fields (minute hour day month weekday), found 4"),
        ("* 24 * * *", "hour field \"24\" is out of range 0-23"),
        ("* * 0 * *", "day field \"0\" is out of range 1-31"),
        ("* * * 13 *", "month field \"13\" is out of range 1-12"),
        ("* * * * 8", "weekday field \"8\" is out of range 0-7"),
        ("1,61 * * * *", "minute field \"61\" is out of range 0-59"),
        ("50-61 * * * *", "minute field \"50-61\" is out of range 0-59"),
        ("99999 * * * *", "minute field \"99999\" is out of range 0-59"),
        ("*/0 * * * *", "minute field \"*/0\": the step must be at least 1"),
        ("*/x * * * *", "minute field \"*/x\": the step \"x\" is not a number"),
        ("1/2/3 * * * *", "minute field \"1/2/3\" has more than one \"/\""),
        ("5-1 * * * *", "minute field \"5-1\": the range starts after it ends"),
        ("1-2-3 * * * *", "minute field \"1-2-3\" is not a range like 1-5"),
        ("* * * foo *", "month field \"foo\": \"foo\" is not a number or month name (jan-dec)"),
        ("* * * * funday", "weekday field \"funday\": \"funday\" is not a number or day name (sun-sat)"),
        ("x * * * *", "minute field \"x\": \"x\" is not a number"),
        ("* * * jan *x", "weekday field \"*x\": \"*x\" is not a number or day name (sun-sat)"),
        ("1,,2 * * * *", "minute field \"1,,2\" has an empty list item"),
        ("@often", "unknown cron macro \"@often\""),
        ("@reboot", "@reboot is not a time: a schedule needs a time"),
        ("", "a cron schedule cannot be empty"),
        ("0 0 30 2 *", "the cron schedule \"0 0 30 2 *\" never runs: none of its months has the chosen day"),
        ("0 0 31 4,6,9,11 *", "the cron schedule \"0 0 31 4,6,9,11 *\" never runs: none of its months has the chosen day"),
    ])
    func rejectsBadExpressions(text: String, message: String) throws {
        let error = try #require(valueError { () throws(ValueError) in try CronExpression.parse(text) })
        #expect(error.message == message)
        #expect(error.hint != nil)
    }

    @Test func bothDayFieldsRestrictedMeansEither() throws {
        // Day 31 never falls in February, but the weekday field still fires.
        #expect(try Self.next("0 0 31 2 mon", after: "2026-02-01T00:00:00Z") == "2026-02-02T00:00:00Z")
    }

    @Test func macrosAndNamesAreCaseInsensitive() throws {
        #expect(try CronExpression.parse("@DAILY").description == "@DAILY")
        #expect(try Self.next("0 0 * * MON", after: "2026-01-01T00:00:00Z") == "2026-01-05T00:00:00Z")
        #expect(try Self.next("0 0 1 Feb *", after: "2026-01-01T00:00:00Z") == "2026-02-01T00:00:00Z")
    }

    @Test func validatesTimeZones() {
        #expect(CronExpression.isValidTimeZone("Asia/Kolkata"))
        #expect(CronExpression.isValidTimeZone("UTC"))
        #expect(CronExpression.isValidTimeZone("America/New_York"))
        #expect(!CronExpression.isValidTimeZone("Not/AZone"))
        #expect(!CronExpression.isValidTimeZone(""))
        #expect(!CronExpression.isValidTimeZone("💥"))
        #expect(!CronExpression.isValidTimeZone("Asia/ Kolkata"))
    }

    @Test func neverTrapsOnOddInput() {
        let tz = TimeZone(identifier: "Asia/Kolkata")!
        var parsed = 0
        var rng = SeededGenerator(seed: 9)
        let pieces = ["*", "*/5", "1-5", "0", "59", "60", "jan", "mon", "7", "1,2", "-", "/", "", "x", "5/", "1-", "sun-sat"]
        var inputs = oddStrings
        for _ in 0..<1500 {
            inputs.append((0..<Int.random(in: 1...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: " "))
        }
        for text in inputs {
            if let expression = try? CronExpression.parse(text) {
                parsed += 1
                if parsed <= 200, let next = expression.next(after: Self.date("2026-01-01T00:00:00Z"), in: tz) {
                    #expect(next > Self.date("2026-01-01T00:00:00Z"))
                }
            }
        }
        #expect(parsed > 0)
    }
}
