import Foundation
import Testing
@testable import FiredrillCore

@Suite("JSONValue")
struct JSONValueTests {
    @Test func canonicalFormSortsKeysAndHasNoWhitespace() {
        let value: JSONValue = ["b": 1, "a": [true, nil, 1.5, -0.0, 3.0], "c": "q\"\\\n\u{01}é/", "B": [:]]
        #expect(value.canonicalJSON() == #"{"B":{},"a":[true,null,1.5,0,3],"b":1,"c":"q\"\\\n\u0001é/"}"#)
    }

    @Test func canonicalFormDoesNotDependOnInsertionOrder() {
        var first: [String: JSONValue] = [:]
        var second: [String: JSONValue] = [:]
        let keys = (0..<50).map { "key-\($0)" }
        for (i, key) in keys.enumerated() { first[key] = .number(Double(i)) }
        for (i, key) in keys.enumerated().reversed() { second[key] = .number(Double(i)) }
        #expect(JSONValue.object(first).canonicalJSON() == JSONValue.object(second).canonicalJSON())
    }

    @Test(arguments: [
        (JSONValue.number(1e20), "1e+20"), (.number(0.1), "0.1"), (.number(1e-7), "1e-07"), (.number(-42), "-42"),
        (.number(123456789012345), "123456789012345"), (.number(.nan), "null"), (.number(.infinity), "null"),
        (.number(2.5e-3), "0.0025"),
    ])
    func numbersPrintWithoutTrailingZeros(value: JSONValue, text: String) {
        #expect(value.canonicalJSON() == text)
    }

    @Test func parseReadsWhatCanonicalJSONWrites() throws {
        let value: JSONValue = ["list": [1, 2.25, "x", ["nested": nil]], "flag": false, "text": "tab\there \u{7f} 😀"]
        #expect(try JSONValue.parse(value.canonicalJSON()) == value)
    }

    @Test func parseAcceptsWhitespaceAndEscapes() throws {
        let value = try JSONValue.parse(" { \"a\" : [ 1 , -0.5e1 ] ,\n \"b\": \"\\u00e9\\ud83d\\ude00\\/\" } ")
        #expect(value["a"]?[1]?.doubleValue == -5)
        #expect(value["b"]?.stringValue == "é😀/")
    }

    @Test(arguments: ["[1,]", "{\"a\":1,}", "01", "\"abc", "[1 2]", "{a:1}", "\"\\ud800\"", "tru", "1.", "\"\u{01}\"", "", "[] x", "1e400"])
    func parseRejectsInvalidJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func parseErrorSaysWhere() {
        #expect {
            try JSONValue.parse("[1, 2 x]")
        } throws: { error in
            guard let error = error as? JSONParseError else { return false }
            return error.offset == 6 && error.description == "at byte 7: expected ',' or ']' in an array"
        }
    }

    @Test func accessors() {
        let value: JSONValue = ["n": 3, "s": "x", "b": true, "a": [1], "f": 2.5]
        #expect(value["n"]?.intValue == 3)
        #expect(value["f"]?.intValue == nil)
        #expect(value["f"]?.doubleValue == 2.5)
        #expect(value["s"]?.stringValue == "x")
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?[0] == 1)
        #expect(value["a"]?[1] == nil)
        #expect(value["missing"] == nil)
        #expect(value.objectValue?.count == 5)
        #expect(JSONValue.null.isNull)
        let interpolated: JSONValue = "pid \(42)"
        #expect(interpolated == .string("pid 42"))
    }

    @Test func codableRoundTrip() throws {
        let value: JSONValue = ["a": [1, "two", nil, true], "b": ["c": 0.5]]
        let data = try JSONEncoder().encode(value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}
