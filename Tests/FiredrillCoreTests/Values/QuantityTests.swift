import Testing
@testable import FiredrillCore

@Suite("Quantity")
struct QuantityTests {
    @Test(arguments: [
        ("200ms", 0.2, QuantityUnit.seconds), ("1h30m", 5400, .seconds), ("99.5%", 99.5, .percent),
        ("512MiB", 536_870_912, .bytes), ("50/s", 50, .perSecond), ("3000/m", 50, .perSecond), ("5", 5, .none),
        ("-5", -5, .none), ("0.5", 0.5, .none), ("1e3", 1000, .none),
    ])
    func parsesEveryKind(text: String, value: Double, unit: QuantityUnit) throws {
        let q = try Quantity.parse(text)
        #expect(q.unit == unit)
        #expect(abs(q.value - value) < 1e-9)
    }

    @Test(arguments: [
        ("200 parsecs", "unknown unit \"parsecs\" in \"200 parsecs\"", Quantity.unitsHint),
        ("200parsecs", "unknown unit \"parsecs\" in \"200parsecs\"", Quantity.unitsHint),
        ("200 ms", "write the unit right after the number: \"200 ms\"", "write it like 200ms"),
        ("abc", "not a number or quantity: \"abc\"", "write a number, optionally with a unit: 5, 200ms, 99%, 512MiB, 50/s"),
        ("", "a value is missing", "write a number, optionally with a unit: 5, 200ms, 99%, 512MiB, 50/s"),
        ("120%", "percentage out of range: 120% (must be between 0% and 100%)", nil),
        ("-5s", "a duration cannot be negative: -5s", DurationSyntax.hint),
    ] as [(String, String, String?)])
    func rejectsBadQuantities(text: String, message: String, hint: String?) throws {
        let error = try #require(valueError { () throws(ValueError) in try Quantity.parse(text) })
        #expect(error.message == message)
        #expect(error.hint == hint)
    }

    @Test(arguments: [
        (0.412, QuantityUnit.seconds, "412ms"), (99.12, .percent, "99.12%"), (1_048_576, .bytes, "1MiB"),
        (50, .perSecond, "50/s"), (3, .none, "3"), (0.2, .seconds, "200ms"), (90, .seconds, "1m30s"),
        (97.5, .percent, "97.5%"), (Double.nan, .seconds, "nan"), (1e30, .seconds, "1e+30s"), (0.1 + 0.2, .none, "0.3"),
        (-0.5, .seconds, "-500ms"),
    ])
    func formatsObservedValues(value: Double, unit: QuantityUnit, text: String) {
        #expect(Quantity.format(value: value, unit: unit) == text)
    }

    @Test func describesItself() throws {
        #expect(try Quantity.parse("200ms").description == "200ms")
        #expect(try Quantity.parse("1GiB").description == "1GiB")
    }

    @Test func neverTrapsOnOddInput() {
        var parsed = 0
        for text in oddStrings + randomValueStrings(count: 3000, seed: 5) {
            if let q = try? Quantity.parse(text) {
                #expect(q.value.isFinite)
                _ = q.description
                parsed += 1
            }
        }
        #expect(parsed > 0)
        for value in [Double.infinity, -.infinity, .nan, .greatestFiniteMagnitude, -.greatestFiniteMagnitude, 1e-300] {
            for unit in QuantityUnit.allCases { #expect(!Quantity.format(value: value, unit: unit).isEmpty) }
        }
    }
}
