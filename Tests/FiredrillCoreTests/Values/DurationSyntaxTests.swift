import Testing
@testable import FiredrillCore

@Suite("Duration syntax")
struct DurationSyntaxTests {
    static let unitHint = "write it with a unit: 500ms, 5s, 15m, 1h (units: us, ms, s, m, h, d)"

    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)),
        ("5s", .seconds(5)),
        ("1.5s", .milliseconds(1500)),
        ("15m", .seconds(900)),
        ("1h", .seconds(3600)),
        ("1h30m", .seconds(5400)),
        ("2d", .seconds(172_800)),
        ("500us", .microseconds(500)),
        ("0s", .zero),
        ("0.1s", .milliseconds(100)),
        (".5s", .milliseconds(500)),
        ("1m30.5s", .milliseconds(90_500)),
        ("1d2h3m4s5ms6us", .seconds(93_784) + .milliseconds(5) + .microseconds(6)),
        (" 5s ", .seconds(5)),
        ("0.000001ms", .nanoseconds(1)),
        ("36500d", .seconds(36_500 * 86_400)),
    ])
    func parsesGoodDurations(text: String, expected: Duration) throws {
        #expect(try DurationSyntax.parse(text) == expected)
    }

    @Test(arguments: ["5", "0", "1.5", "-0", "300"])
    func bareNumberNeedsUnit(text: String) throws {
        let error = try #require(valueError { () throws(ValueError) in try DurationSyntax.parse(text) })
        #expect(error.message == (text.hasPrefix("-") ? "a duration cannot be negative: -0" : "a duration needs a unit"))
        #expect(error.hint == Self.unitHint)
        #expect(error.description == error.message)
    }

    @Test(arguments: [
        ("", "a duration cannot be empty"),
        ("   ", "a duration cannot be empty"),
        ("-5s", "a duration cannot be negative: -5s"),
        ("5sec", "unknown duration unit \"sec\" in \"5sec\""),
        ("5S", "unknown duration unit \"S\" in \"5S\""),
        ("5min", "unknown duration unit \"min\" in \"5min\""),
        ("5 s", "a duration is written without spaces: \"5 s\""),
        ("5 min", "a duration is written without spaces: \"5 min\""),
        ("1h30", "the last number in \"1h30\" needs a unit"),
        ("30m1h", "units in \"30m1h\" must go from the largest to the smallest"),
        ("5s5s", "the unit s appears twice in \"5s5s\""),
        ("abc", "not a duration: \"abc\""),
        ("+5s", "not a duration: \"+5s\""),
        ("5.s", "not a duration: \"5.s\""),
        ("１５ｍ", "not a duration: \"１５ｍ\""),
        ("36501d", "duration is too long: 36501d (the limit is 36500d)"),
        ("99999999999999999999999999999999999999999d", "duration is too long: 99999999999999999999999999999999999999999d (the limit is 36500d)"),
    ])
    func rejectsBadDurations(text: String, message: String) throws {
        let error = try #require(valueError { () throws(ValueError) in try DurationSyntax.parse(text) })
        #expect(error.message == message)
    }

    @Test(arguments: [
        (Duration.milliseconds(250), "250ms"),
        (.seconds(5), "5s"),
        (.seconds(90), "1m30s"),
        (.seconds(3600), "1h"),
        (.milliseconds(1500), "1.5s"),
        (.zero, "0s"),
        (.microseconds(500), "500us"),
        (.seconds(5400), "1h30m"),
        (.seconds(129_600), "1d12h"),
        (.milliseconds(60_500), "1m500ms"),
        (.microseconds(1500), "1.5ms"),
        (.nanoseconds(1), "0.001us"),
        (.seconds(-5), "-5s"),
        (.milliseconds(90_500), "1m30.5s"),
    ])
    func formatsShortestForm(duration: Duration, text: String) {
        #expect(DurationSyntax.format(duration) == text)
    }

    @Test func formatThenParseIsIdentity() throws {
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<2000 {
            let scale = [1, 1000, 1_000_000, 1_000_000_000, 60_000_000_000][Int.random(in: 0..<5, using: &rng)]
            let d = Duration.nanoseconds(Int64.random(in: 0...100_000, using: &rng) * Int64(scale))
            let text = DurationSyntax.format(d)
            #expect(try DurationSyntax.parse(text) == d, "\(text)")
        }
    }

    @Test func neverTrapsOnOddInput() {
        var parsed = 0
        for text in oddStrings + randomValueStrings(count: 3000, seed: 1) {
            do {
                let d = try DurationSyntax.parse(text)
                #expect(d >= .zero)
                parsed += 1
            } catch {
                #expect(!error.message.isEmpty)
            }
        }
        #expect(parsed > 0)
    }
}
