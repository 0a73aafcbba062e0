import Foundation
import Testing
@testable import FiredrillCore

@Suite("Tolerance parsing")
struct ToleranceParsingTests {
    /// The `expect:` node of a small YAML document.
    static func expectNode(_ yaml: String) throws -> PlanNode {
        let result = YAMLReader(path: "plan.yaml").read(Data(yaml.utf8))
        #expect(result.diagnostics.isEmpty)
        let root = try #require(result.node)
        return try #require(root["expect"])
    }

    static func parse(_ yaml: String) throws -> (Tolerance?, [Diagnostic]) {
        Tolerance.parse(try expectNode(yaml))
    }

    @Test(arguments: [
        ("expect: 200", Tolerance.literal(.number(200))),
        ("expect: healthy", .literal(.string("healthy"))),
        ("expect: true", .literal(.bool(true))),
        ("expect: \"200\"", .literal(.string("200"))),
        ("expect: ~", .literal(.null)),
        ("expect: /health", .literal(.string("/health"))),
        ("expect: [200, 204]", .anyOf([.literal(.number(200)), .literal(.number(204))])),
        ("expect: \"< 200ms\"", .compare(.lessThan, Quantity(value: 0.2, unit: .seconds))),
        ("expect: \"<= 512MiB\"", .compare(.lessThanOrEqual, Quantity(value: 536_870_912, unit: .bytes))),
        ("expect: \">= 99.5%\"", .compare(.greaterThanOrEqual, Quantity(value: 99.5, unit: .percent))),
        ("expect: \"== 0\"", .compare(.equal, Quantity(value: 0, unit: .none))),
        ("expect: \"!= 5\"", .compare(.notEqual, Quantity(value: 5, unit: .none))),
        ("expect: \"> 3\"", .compare(.greaterThan, Quantity(value: 3, unit: .none))),
        ("expect: \">=50/s\"", .compare(.greaterThanOrEqual, Quantity(value: 50, unit: .perSecond))),
        ("expect: \"between 1 and 5\"", .between(Quantity(value: 1, unit: .none), Quantity(value: 5, unit: .none))),
        ("expect: \"between 100ms and 2s\"", .between(Quantity(value: 0.1, unit: .seconds), Quantity(value: 2, unit: .seconds))),
        ("expect: \"between 5 and 5\"", .between(Quantity(value: 5, unit: .none), Quantity(value: 5, unit: .none))),
        ("expect: /^ok/", .regex("^ok")),
        ("expect: /^ok/i", .regex("(?i)^ok")),
        ("expect: 5s", .compare(.equal, Quantity(value: 5, unit: .seconds))),
        ("expect: \"99%\"", .compare(.equal, Quantity(value: 99, unit: .percent))),
    ])
    func parsesScalarsAndLists(yaml: String, expected: Tolerance) throws {
        let (tolerance, diagnostics) = try Self.parse(yaml)
        #expect(diagnostics.isEmpty)
        #expect(tolerance == expected)
    }

    @Test func parsesAFieldMap() throws {
        let yaml = """
        expect: { status: 200, latency: "< 500ms", json: { "$.status": healthy }, headers: { content-type: /json/ } }
        """
        let (tolerance, diagnostics) = try Self.parse(yaml)
        #expect(diagnostics.isEmpty)
        let expected = Tolerance.fields([
            FieldTolerance(selector: .field("status"), tolerance: .literal(.number(200))),
            FieldTolerance(selector: .field("latency"), tolerance: .compare(.lessThan, Quantity(value: 0.5, unit: .seconds))),
            FieldTolerance(selector: .field("json"), tolerance: .fields([
                FieldTolerance(selector: .path(try JSONPath.parse("$.status")), tolerance: .literal(.string("healthy"))),
            ])),
            FieldTolerance(selector: .field("headers"), tolerance: .fields([
                FieldTolerance(selector: .field("content-type"), tolerance: .regex("json")),
            ])),
        ])
        #expect(tolerance == expected)
        #expect(tolerance?.description == "{ status: 200, latency: < 500ms, json: { $.status: healthy }, headers: { content-type: /json/ } }")
    }

    @Test(arguments: [
        ("\"<< 5\"", "unknown comparison operator \"<<\" in \"<< 5\"", Tolerance.comparisonHint, 6),
        ("\"between 5 and\"", "malformed range \"between 5 and\": it needs a lower and an upper value", Tolerance.rangeHint, 15),
        ("\"between and 5\"", "malformed range \"between and 5\": it needs a lower and an upper value", Tolerance.rangeHint, 15),
        ("\"< 200 parsecs\"", "unknown unit \"parsecs\" in \"200 parsecs\"", Quantity.unitsHint, 15),
        ("/(/", "invalid regular expression /(/", "check its brackets, parentheses, repetitions and escapes", 3),
        ("//", "the regular expression // is empty and would match anything", "write a pattern between the slashes, like /^ok/", 2),
        ("\"between 5 and 1\"", "the range \"between 5 and 1\" is reversed: 5 is greater than 1", "write the smaller value first: between 1 and 5", 17),
        ("\"between 1s and 5%\"", "the range \"between 1s and 5%\" mixes a duration and a percentage", Tolerance.rangeHint, 19),
        ("\"<\"", "the comparison \"<\" needs a value after <", Tolerance.comparisonHint, 3),
        ("\"== healthy\"", "a comparison needs a number, not \"healthy\"", "compare text with a literal (healthy) or a regular expression (/^ok/); comparisons need a number, optionally with a unit", 12),
        ("\"> 5\"", nil, nil, 0),
    ] as [(String, String?, String?, Int)])
    func reportsMalformedScalarsAtTheNode(value: String, message: String?, hint: String?, length: Int) throws {
        let (tolerance, diagnostics) = try Self.parse("probe: x\nexpect:   \(value)\n")
        guard let message else {
            #expect(tolerance != nil && diagnostics.isEmpty)
            return
        }
        #expect(tolerance == nil)
        let diagnostic = try #require(diagnostics.first)
        #expect(diagnostics.count == 1)
        #expect(diagnostic.message == message)
        #expect(diagnostic.hint == hint)
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.location == SourceLocation(file: "plan.yaml", line: 2, column: 11))
        #expect(diagnostic.length == length)
    }

    @Test func reportsEveryProblemInAMapAtItsOwnPlace() throws {
        let yaml = """
        expect:
          status: "<< 5"
          $.a[x]: 1
          latency: "between 2s and"
          ok: [200, "> nope"]
        """
        let (tolerance, diagnostics) = try Self.parse(yaml)
        #expect(tolerance == nil)
        #expect(diagnostics.map(\.message) == [
            "unknown comparison operator \"<<\" in \"<< 5\"",
            "bad JSONPath \"$.a[x]\": expected a number, * or a quoted name inside [ ] (at character 5)",
            "malformed range \"between 2s and\": it needs a lower and an upper value",
            "a comparison needs a number, not \"nope\"",
        ])
        #expect(diagnostics.map(\.location.line) == [2, 3, 4, 5])
        #expect(diagnostics.map(\.location.column) == [11, 7, 12, 13])
    }

    @Test func rejectsEmptyListsAndMaps() throws {
        let (list, listDiagnostics) = try Self.parse("expect: []")
        #expect(list == nil)
        #expect(listDiagnostics.map(\.message) == ["an empty list of accepted values matches nothing"])
        let (map, mapDiagnostics) = try Self.parse("expect: {}")
        #expect(map == nil)
        #expect(mapDiagnostics.map(\.message) == ["an empty map checks nothing"])
    }

    @Test func parsesSubstitutedText() {
        let at = SourceLocation(file: "plan.yaml", line: 7, column: 3)
        let (tolerance, diagnostics) = Tolerance.parse(text: ">= 1200", at: at)
        #expect(diagnostics.isEmpty)
        #expect(tolerance == .compare(.greaterThanOrEqual, Quantity(value: 1200, unit: .none)))
        #expect(Tolerance.parse(text: "42", at: at).0 == .literal(.number(42)))
        let (bad, problems) = Tolerance.parse(text: "<< 5", at: at)
        #expect(bad == nil)
        #expect(problems == [Diagnostic(at: at, "unknown comparison operator \"<<\" in \"<< 5\"", hint: Tolerance.comparisonHint, length: 4)])
    }

    @Test func describesEveryCase() throws {
        #expect(Tolerance.literal(.string("hello world")).description == "hello world")
        #expect(Tolerance.literal(.string(" padded")).description == "\" padded\"")
        #expect(Tolerance.literal(.string("")).description == "\"\"")
        #expect(Tolerance.literal(.number(200)).description == "200")
        #expect(Tolerance.literal(.null).description == "null")
        #expect(try Self.parse("expect: [200, 204]").0?.description == "one of 200, 204")
        #expect(try Self.parse("expect: \"between 100ms and 2s\"").0?.description == "between 100ms and 2s")
        #expect(try Self.parse("expect: \">= 99.5%\"").0?.description == ">= 99.5%")
        #expect(try Self.parse("expect: /^ok/").0?.description == "/^ok/")
    }

    @Test func neverTrapsOnOddInput() {
        let at = SourceLocation(file: "plan.yaml", line: 1, column: 1)
        var accepted = 0
        for text in oddStrings + randomValueStrings(count: 3000, seed: 8) + randomValueStrings(count: 500, seed: 9).map({ "< " + $0 }) {
            let (tolerance, diagnostics) = Tolerance.parse(text: text, at: at)
            #expect((tolerance == nil) == !diagnostics.isEmpty)
            if let tolerance {
                accepted += 1
                _ = tolerance.judge(.string(text), label: "x")
            }
        }
        #expect(accepted > 0)
    }
}
