import Testing
@testable import FiredrillCore

@Suite("JSONPath")
struct JSONPathTests {
    static let document: JSONValue = .object([
        "status": .string("ok"),
        "content-type": .string("application/json"),
        "a b": .number(1),
        "items": .array([
            .object(["name": .string("first"), "state": .string("ready")]),
            .object(["name": .string("second"), "state": .string("pending")]),
        ]),
    ])

    @Test(arguments: [
        ("$", [JSONPath.Segment]()),
        ("$.status", [.field("status")]),
        ("$.items[0].name", [.field("items"), .index(0), .field("name")]),
        ("$['content-type']", [.field("content-type")]),
        ("$[\"a b\"]", [.field("a b")]),
        ("$['it\\'s']", [.field("it's")]),
        ("$.items[*].state", [.field("items"), .wildcard, .field("state")]),
        ("$.*", [.wildcard]),
        ("$[-1]", [.index(-1)]),
        ("$[ 2 ]", [.index(2)]),
        ("$.content-type", [.field("content-type")]),
    ])
    func parsesPaths(text: String, segments: [JSONPath.Segment]) throws {
        let path = try JSONPath.parse(text)
        #expect(path.segments == segments)
        #expect(path.description == text)
    }

    @Test(arguments: [
        ("", "a JSONPath cannot be empty", 0),
        ("status", "bad JSONPath \"status\": it must start with $ (at character 1)", 0),
        ("$.", "bad JSONPath \"$.\": expected a field name after \".\" (at character 3)", 2),
        ("$.a[x]", "bad JSONPath \"$.a[x]\": expected a number, * or a quoted name inside [ ] (at character 5)", 4),
        ("$..a", "bad JSONPath \"$..a\": recursive descent (..) is not supported (at character 2)", 1),
        ("$.a[0", "bad JSONPath \"$.a[0\": expected \"]\" (at character 6)", 5),
        ("$['a", "bad JSONPath \"$['a\": the quoted name is not closed (at character 3)", 2),
        ("$[", "bad JSONPath \"$[\": \"[\" is not closed (at character 2)", 1),
        ("$[?(@.a)]", "bad JSONPath \"$[?(@.a)]\": filters are not supported (at character 3)", 2),
        ("$[1:2]", "bad JSONPath \"$[1:2]\": slices are not supported (at character 4)", 3),
        ("$.length()", "bad JSONPath \"$.length()\": functions are not supported (at character 3)", 2),
        ("$status", "bad JSONPath \"$status\": unexpected \"s\" (at character 2)", 1),
        ("$[-]", "bad JSONPath \"$[-]\": not an index (at character 3)", 2),
        ("$[99999999999999999999999]", "bad JSONPath \"$[99999999999999999999999]\": not an index (at character 3)", 2),
    ])
    func rejectsBadPaths(text: String, message: String, offset: Int) throws {
        let error = try #require(valueError { () throws(ValueError) in try JSONPath.parse(text) })
        #expect(error.message == message)
        #expect(error.offset == offset)
        #expect(error.hint != nil)
    }

    @Test func evaluatesAgainstADocument() throws {
        func eval(_ text: String) throws -> [JSONValue] { try JSONPath.parse(text).evaluate(Self.document) }
        #expect(try eval("$.status") == [.string("ok")])
        #expect(try eval("$['content-type']") == [.string("application/json")])
        #expect(try eval("$.items[1].name") == [.string("second")])
        #expect(try eval("$.items[-1].name") == [.string("second")])
        #expect(try eval("$.items[*].state") == [.string("ready"), .string("pending")])
        #expect(try eval("$.items[5]") == [])
        #expect(try eval("$.items[-3]") == [])
        #expect(try eval("$.missing.deeper") == [])
        #expect(try eval("$.status[0]") == [])
        #expect(try eval("$") == [Self.document])
        #expect(try eval("$.*").count == 4)
    }

    @Test func neverTrapsOnOddInput() {
        var parsed = 0
        for text in oddStrings + randomValueStrings(count: 3000, seed: 6).map({ "$" + $0 }) {
            do {
                let path = try JSONPath.parse(text)
                _ = path.evaluate(Self.document)
                parsed += 1
            } catch {
                #expect(error.offset.map { $0 >= 0 && $0 <= text.count } ?? false)
            }
        }
        #expect(parsed > 0)
    }
}
