import Foundation
import Testing
@testable import FiredrillCore

/// The error a value parser throws, or nil when it succeeds.
func valueError<T>(_ body: () throws(ValueError) -> T) -> ValueError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error
    }
}

/// A small deterministic generator so "fuzz" tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Odd inputs every parser must survive.
let oddStrings: [String] = [
    "", " ", "\t", "\n", "\0", "💥", "5\u{301}s", "-", "+", ".", "..", "-.", "1e309s", "1e3", "0x10s", "NaN", "inf",
    "-inf", "+5s", "--5", "5--", "99999999999999999999999999999999999999999999999d", "１５ｍ", "5ｓ", "5s5", "5s ms",
    "/", "//", "///", "/i", "/(/", "between", "between and", "between 1 and", "between and 5", "<", "<<", "<=>", "!",
    "!=", "=", "== ", "$", "$[", "$['", "$[\"a", "$.", "$..", "$[*", "$[-]", "@", "@reboot", "* * * * * *", "*/",
    "1-", "-1", "1,", ",", "%", "5%%", "/s", "5//s", "5/", "B", "5BB", "0.5B", "1.5.5s", "5s\u{200B}", "٥s",
    String(repeating: "9", count: 400), String(repeating: "1h", count: 50), String(repeating: "[", count: 300),
]

/// Random strings over the characters value syntax cares about.
func randomValueStrings(count: Int, seed: UInt64) -> [String] {
    let alphabet = Array("0123456789.-+/*,%$[]'\"\\ <>=!@abdhimsuyBKMGTiwv:?()é💥")
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { _ in
        let length = Int.random(in: 0...12, using: &rng)
        return String((0..<length).map { _ in alphabet.randomElement(using: &rng)! })
    }
}
