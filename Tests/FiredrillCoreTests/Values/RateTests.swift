import Testing
@testable import FiredrillCore

@Suite("Rate")
struct RateTests {
    @Test(arguments: [
        ("50/s", 50.0), ("3000/m", 50.0), ("10/min", 10.0 / 60), ("1/h", 1.0 / 3600), ("2/second", 2.0),
        ("120/minute", 2.0), ("3600/hour", 1.0), ("7200/hr", 2.0), ("0.5/s", 0.5), ("5/sec", 5.0),
    ])
    func parsesRates(text: String, perSecond: Double) throws {
        let rate = try Rate.parse(text)
        #expect(abs(rate.perSecond - perSecond) < 1e-12)
    }

    @Test(arguments: [
        ("50", "a rate needs a unit"),
        ("", "a rate cannot be empty"),
        ("0/s", "a rate must be greater than zero: 0/s"),
        ("-5/s", "a rate must be greater than zero: -5/s"),
        ("5/d", "unknown rate unit \"/d\" in \"5/d\" (use /s, /m or /h)"),
        ("5/S", "unknown rate unit \"/S\" in \"5/S\" (use /s, /m or /h)"),
        ("abc", "not a rate: \"abc\""),
        ("/s", "not a rate: \"/s\""),
        ("5 /s", "not a rate: \"5 /s\""),
    ])
    func rejectsBadRates(text: String, message: String) throws {
        let error = try #require(valueError { () throws(ValueError) in try Rate.parse(text) })
        #expect(error.message == message)
        #expect(error.hint == "write a rate like 50/s or 600/m")
    }

    @Test func describesInFriendliestUnit() throws {
        #expect(Rate(perSecond: 50).description == "50/s")
        #expect(try Rate.parse("3000/m").description == "50/s")
        #expect(try Rate.parse("30/m").description == "30/m")
        #expect(try Rate.parse("1/h").description == "1/h")
        #expect(Rate(perSecond: 2.5).description == "2.5/s")
    }

    @Test func neverTrapsOnOddInput() {
        for text in oddStrings + randomValueStrings(count: 2000, seed: 2) {
            do {
                let rate = try Rate.parse(text)
                #expect(rate.perSecond > 0)
            } catch {
                #expect(error.hint == "write a rate like 50/s or 600/m")
            }
        }
    }
}
