import Testing
@testable import FiredrillCore

@Suite("Percentage")
struct PercentageTests {
    @Test(arguments: [("99.5%", 99.5), ("0%", 0.0), ("100%", 100.0), ("0.01%", 0.01), ("100.0%", 100.0)])
    func parsesPercentages(text: String, value: Double) throws {
        #expect(try Percentage.parse(text).value == value)
    }

    @Test(arguments: [
        ("120%", "percentage out of range: 120% (must be between 0% and 100%)", nil),
        ("-1%", "percentage out of range: -1% (must be between 0% and 100%)", nil),
        ("100.01%", "percentage out of range: 100.01% (must be between 0% and 100%)", nil),
        ("99", "a percentage needs a % sign", "write it as a percentage: 99%"),
        ("abc%", "not a percentage: \"abc%\"", "write it as a percentage: 99%"),
        ("99 %", "not a percentage: \"99 %\"", "write it as a percentage: 99%"),
        ("", "a percentage cannot be empty", "write it as a percentage: 99%"),
    ] as [(String, String, String?)])
    func rejectsBadPercentages(text: String, message: String, hint: String?) throws {
        let error = try #require(valueError { () throws(ValueError) in try Percentage.parse(text) })
        #expect(error.message == message)
        #expect(error.hint == hint)
    }

    @Test func describes() {
        #expect(Percentage(value: 99.5).description == "99.5%")
        #expect(Percentage(value: 100).description == "100%")
    }

    @Test func neverTrapsOnOddInput() {
        for text in oddStrings + randomValueStrings(count: 2000, seed: 3) {
            if let p = try? Percentage.parse(text) { #expect((0...100).contains(p.value)) }
        }
        #expect(valueError { () throws(ValueError) in try Percentage.parse("💥") } != nil)
    }
}
