import Foundation
import Testing
@testable import FiredrillCore

@Suite("Tolerance judging")
struct ToleranceJudgingTests {
    static func tolerance(_ yaml: String) throws -> Tolerance {
        let (tolerance, diagnostics) = Tolerance.parse(try ToleranceParsingTests.expectNode("expect: " + yaml))
        #expect(diagnostics.isEmpty)
        return try #require(tolerance)
    }

    static func judge(_ yaml: String, _ observed: JSONValue, label: String) throws -> Judgement {
        try tolerance(yaml).judge(observed, label: label)
    }

    @Test func comparisonStatesObservedAndExpectedInUnits() throws {
        let j = try Self.judge("\"< 200ms\"", .number(0.412), label: "p95")
        #expect(!j.passed)
        #expect(j.message == "p95 412ms, expected < 200ms")
        #expect(j.observed == "412ms")
        #expect(j.expected == "< 200ms")
        let ok = try Self.judge("\"< 200ms\"", .number(0.15), label: "p95")
        #expect(ok.passed)
        #expect(ok.message == "p95 150ms, expected < 200ms")
    }

    @Test(arguments: [
        ("200", JSONValue.number(503), "status", false, "status 503, expected 200"),
        ("200", .number(200), "status", true, "status 200, expected 200"),
        ("200", .string("200"), "status", true, "status \"200\", expected 200"),
        ("\"200\"", .number(200), "status", true, "status 200, expected 200"),
        ("\"200\"", .string("200"), "status", true, "status \"200\", expected 200"),
        ("healthy", .string("healthy"), "state", true, "state \"healthy\", expected healthy"),
        ("healthy", .string("Healthy"), "state", false, "state \"Healthy\", expected healthy"),
        ("healthy", .number(1), "state", false, "state 1, expected healthy"),
        ("true", .bool(true), "ready", true, "ready true, expected true"),
        ("true", .string("true"), "ready", true, "ready \"true\", expected true"),
        ("true", .bool(false), "ready", false, "ready false, expected true"),
        ("\">= 99%\"", .number(97.5), "success", false, "success 97.5%, expected >= 99%"),
        ("\">= 99%\"", .number(99.5), "success", true, "success 99.5%, expected >= 99%"),
        ("\"== 0\"", .number(0), "errors", true, "errors 0, expected == 0"),
        ("\"!= 5\"", .number(5), "count", false, "count 5, expected != 5"),
        ("\"> 3\"", .string("4"), "count", true, "count \"4\", expected > 3"),
        ("\"<= 512MiB\"", .number(1_073_741_824), "rss", false, "rss 1GiB, expected <= 512MiB"),
        ("\">= 50/s\"", .number(49.5), "throughput", false, "throughput 49.5/s, expected >= 50/s"),
        ("\"< 200ms\"", .string("150ms"), "p95", true, "p95 150ms, expected < 200ms"),
        ("\"< 200ms\"", .string("fast"), "p95", false, "p95 \"fast\", expected < 200ms (observed value is not a number)"),
        ("\"< 200ms\"", .string("5%"), "p95", false, "p95 \"5%\", expected < 200ms (observed a percentage, expected a duration)"),
        ("\"< 200ms\"", .null, "p95", false, "p95 null, expected < 200ms (observed value is null, not a number)"),
        ("\"< 200ms\"", .array([.number(1)]), "p95", false, "p95 [1s], expected < 200ms (observed value is a list, not a number)"),
        ("[200, 204]", .number(204), "status", true, "status 204, expected one of 200, 204"),
        ("[200, 204]", .number(500), "status", false, "status 500, expected one of 200, 204"),
        ("[\"< 100ms\", \"> 5s\"]", .number(0.3), "lag", false, "lag 300ms, expected one of < 100ms, > 5s"),
        ("\"between 100ms and 2s\"", .number(0.05), "latency", false, "latency 50ms, expected between 100ms and 2s"),
        ("\"between 100ms and 2s\"", .number(2), "latency", true, "latency 2s, expected between 100ms and 2s"),
        ("\"between 100ms and 2s\"", .number(0.1), "latency", true, "latency 100ms, expected between 100ms and 2s"),
        ("\"between 1 and 5\"", .bool(true), "n", false, "n true, expected between 1 and 5 (observed value is a boolean, not a number)"),
        ("/^2/", .number(204), "status", true, "status 204, expected /^2/"),
        ("/^ok/i", .string("OK then"), "body", true, "body \"OK then\", expected /(?i)^ok/"),
        ("/^ok/", .null, "body", false, "body null, expected /^ok/ (no text to match)"),
        ("5s", .number(5), "uptime", true, "uptime 5s, expected == 5s"),
        ("\"< 200ms\"", .number(0.412), "", false, "412ms, expected < 200ms"),
    ])
    func judgesScalars(yaml: String, observed: JSONValue, label: String, passed: Bool, message: String) throws {
        let j = try Self.judge(yaml, observed, label: label)
        #expect(j.passed == passed)
        #expect(j.message == message)
        #expect(j.description == message)
    }

    @Test func fieldMapJudgesEveryField() throws {
        let expect = "{ status: 200, latency: \"< 500ms\", json: { \"$.status\": healthy }, headers: { content-type: /json/ } }"
        let good: JSONValue = .object([
            "status": .number(200), "latency": .number(0.12),
            "json": .object(["status": .string("healthy")]),
            "headers": .object(["Content-Type": .string("application/json")]),
        ])
        let pass = try Self.judge(expect, good, label: "health")
        #expect(pass.passed)
        #expect(pass.message == "status 200, expected 200; latency 120ms, expected < 500ms; $.status \"healthy\", expected healthy; headers.content-type \"application/json\", expected /json/")

        let bad: JSONValue = .object([
            "status": .number(503), "latency": .number(0.9),
            "json": .object(["status": .string("degraded")]),
            "headers": .object(["content-type": .string("text/html")]),
        ])
        let fail = try Self.judge(expect, bad, label: "health")
        #expect(!fail.passed)
        #expect(fail.message == "status 503, expected 200; latency 900ms, expected < 500ms; $.status \"degraded\", expected healthy; headers.content-type \"text/html\", expected /json/")
        #expect(fail.expected == "{ status: 200, latency: < 500ms, json: { $.status: healthy }, headers: { content-type: /json/ } }")
    }

    @Test func onlyFailingFieldsAreListedWhenSomeFail() throws {
        let j = try Self.judge("{ status: 200, latency: \"< 500ms\" }", .object(["status": .number(200), "latency": .number(0.9)]), label: "health")
        #expect(!j.passed)
        #expect(j.message == "latency 900ms, expected < 500ms")
    }

    @Test func missingFieldNamesTheObservedFields() throws {
        let j = try Self.judge("{ status: 200, latency: \"< 500ms\" }", .object(["status": .number(200), "body": .string("x")]), label: "health")
        #expect(!j.passed)
        #expect(j.message == "field latency missing (observed fields: body, status)")
        let empty = try Self.judge("{ latency: \"< 500ms\" }", .object([:]), label: "health")
        #expect(empty.message == "field latency missing (observed fields: none)")
        let notObject = try Self.judge("{ status: 200 }", .number(503), label: "health")
        #expect(notObject.message == "field status missing (observed value is a number, not an object)")
    }

    @Test func jsonPathsSelectInsideTheValue() throws {
        let doc: JSONValue = .object(["items": .array([
            .object(["state": .string("pending")]), .object(["state": .string("ready")]),
        ])])
        #expect(try Self.judge("{ \"$.items[*].state\": ready }", doc, label: "x").passed)
        let none = try Self.judge("{ \"$.items[*].state\": failed }", doc, label: "x")
        #expect(!none.passed)
        #expect(none.message == "$.items[*].state [\"pending\", \"ready\"], expected failed")
        let missing = try Self.judge("{ \"$.missing\": 1 }", doc, label: "x")
        #expect(missing.message == "$.missing missing (no value at this path)")
        let count = try Self.judge("{ \"$.items[0].state\": pending, \"$\": /ready/ }", doc, label: "x")
        #expect(count.passed)
    }

    @Test func jsonBodyHeldAsTextIsReadAsJSON() throws {
        let observed: JSONValue = .object(["body": .string("{\"status\": \"ok\", \"n\": 3}")])
        #expect(try Self.judge("{ body: { \"$.status\": ok, \"$.n\": \"> 2\" } }", observed, label: "h").passed)
        #expect(try Self.judge("{ body: { status: ok } }", observed, label: "h").passed)
        let notJSON = try Self.judge("{ body: { \"$.status\": ok } }", .object(["body": .string("plain")]), label: "h")
        #expect(notJSON.message == "$.status missing (no value at this path)")
    }

    @Test func constructedInvalidRegexFailsInsteadOfTrapping() {
        let j = Tolerance.regex("(").judge(.string("x"), label: "body")
        #expect(!j.passed)
        #expect(j.message == "body \"x\", expected /(/ (invalid regular expression)")
    }

    @Test func neverTrapsOnOddObservations() throws {
        let tolerances = try [
            "200", "healthy", "true", "[200, 204]", "\"< 200ms\"", "\"between 1 and 5\"", "/^ok/", "5s",
            "{ status: 200, \"$.a[*]\": 1, h: { x: /y/ } }",
        ].map(Self.tolerance)
        let observations: [JSONValue] = [
            .null, .bool(false), .number(.nan), .number(.infinity), .number(-.greatestFiniteMagnitude), .string(""),
            .string("💥"), .string("{"), .string("[1,2"), .string("{\"a\": [1, 2]}"), .array([]), .object([:]),
            .array(Array(repeating: .string(String(repeating: "x", count: 500)), count: 100)),
            .object(["status": .null, "a": .array([.null]), "h": .string("not an object")]),
        ] + randomValueStrings(count: 300, seed: 10).map(JSONValue.string)
        for tolerance in tolerances {
            for observed in observations {
                let j = tolerance.judge(observed, label: "v")
                #expect(!j.message.isEmpty)
                #expect(j.message.count < 2000)
            }
        }
    }
}
