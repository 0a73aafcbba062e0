import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// `expect` checked against the fields each probe declares: keys, and units that could be misread.
@Suite("Expect fields and units")
struct ExpectCheckTests {
    /// Loads a one-probe experiment whose steady-state probe is `probe` (a YAML flow map line) with `expect`.
    static func load(_ probe: String, expect: String) -> LoadResult {
        let yaml = """
            apiVersion: firedrill/v1
            kind: Experiment
            name: units
            title: Units
            environment: staging
            steady-state:
              - \(probe)
                expect: \(expect)
            method:
              - wait: 1s
            """
        return PlanLoader.load(data: Data(yaml.utf8), path: "units.yaml", catalog: TestCatalog.builtin)
    }

    static func errors(_ probe: String, expect: String) -> [Diagnostic] {
        load(probe, expect: expect).errors
    }

    static let http = "http: { url: \"http://127.0.0.1:8080/health\" }"
    static let traffic = "traffic: { url: \"http://127.0.0.1:8080/health\", rate: 10/s }"
    static let prometheus = "prometheus: { url: \"http://127.0.0.1:9090\", query: \"ratio\" }"

    @Test func aMisspeltFieldIsAnErrorAtTheKeyWithDidYouMean() throws {
        let errors = Self.errors(Self.http, expect: "{ statuss: 200 }")
        let error = try #require(errors.first)
        #expect(errors.count == 1)
        #expect(error.message == "`expect`: `http` observes no field `statuss`")
        #expect(error.hint == "did you mean `status`?")
        #expect(error.location.line == 8 && error.location.column == 15)
        #expect(error.length == "statuss".count)
    }

    @Test func anUnrelatedKeyListsTheFields() throws {
        let error = try #require(Self.errors("tcp: { host: 127.0.0.1, port: 1 }", expect: "{ banana: 1 }").first)
        #expect(error.hint == "fields of `tcp`: connected, latency")
    }

    @Test func aJSONPathMustStartAtADeclaredField() throws {
        #expect(Self.errors(Self.http, expect: "{ \"$.json.status\": ok }").isEmpty)
        let error = try #require(Self.errors(Self.http, expect: "{ \"$.jsno.status\": ok }").first)
        #expect(error.message == "`expect`: `http` observes no field `jsno`")
    }

    @Test func keysAreCheckedEvenWhenTheValueWaitsForTheRun() throws {
        let yaml = """
            apiVersion: firedrill/v1
            kind: Experiment
            name: units
            title: Units
            environment: staging
            steady-state:
              - name: base
                postgres: { dsn: "host=127.0.0.1", query: "SELECT 1" }
            guards:
              - postgres: { dsn: "host=127.0.0.1", query: "SELECT 1" }
                expect: { valeu: ">= ${steps.base.value}" }
            method:
              - wait: 1s
            """
        let errors = PlanLoader.load(data: Data(yaml.utf8), path: "units.yaml", catalog: TestCatalog.builtin).errors
        #expect(errors.map(\.message) == ["`expect`: `postgres` observes no field `valeu`"])
    }

    @Test(arguments: [
        ("{ latency: \"< 200\" }", "write the unit: \"< 200ms\", or \"< 200s\" if you mean seconds"),
        ("{ latency: 0.2 }", "write the unit: 0.2ms, or 0.2s if you mean seconds"),
        ("{ latency: \"between 1 and 5\" }", "write the unit: \"between 1ms and 5ms\", or \"between 1s and 5s\" if you mean seconds"),
    ])
    func aBareNumberAgainstADurationIsRefusedWithTheUnitToWrite(_ expect: String, hint: String) throws {
        let error = try #require(Self.errors(Self.http, expect: expect).first)
        #expect(error.message.hasPrefix("`expect`: `latency` is a duration"))
        #expect(error.hint == hint)
    }

    @Test func trafficPercentilesAndSuccessNeedTheirUnits() {
        let errors = Self.errors(Self.traffic, expect: "{ p95: \"< 200\", success: \">= 99\", requests: \">= 10\" }")
        #expect(errors.map(\.message) == [
            "`expect`: `p95` is a duration, and `< 200` has no unit: it would be read in seconds",
            "`expect`: `success` is a percentage (0–100), and `>= 99` has no % sign",
        ])
        #expect(Self.errors(Self.traffic, expect: "{ p95: \"< 200ms\", success: \">= 99%\", rate: \">= 5/s\", requests: \">= 10\" }").isEmpty)
    }

    @Test func aUnitOfTheWrongKindIsRefused() throws {
        let error = try #require(Self.errors(Self.traffic, expect: "{ p99: \"< 5MiB\" }").first)
        #expect(error.message == "`expect`: `p99` is a duration, but `< 5MiB` is a byte size")
        let count = try #require(Self.errors(Self.traffic, expect: "{ errors: \"< 1%\" }").first)
        #expect(count.message == "`expect`: `errors` is a count, but `< 1%` is a percentage")
    }

    @Test func aPercentageAgainstAQueryOfUnknownUnitAsksForUnit() throws {
        let error = try #require(Self.errors(Self.prometheus, expect: "{ value: \"< 1%\" }").first)
        #expect(error.message.hasPrefix("`expect`: the unit of `value` is whatever the query returns"))
        #expect(error.hint?.contains("`unit: ratio` if the query returns 0–1") == true)
        #expect(Self.errors(Self.prometheus, expect: "{ value: \"< 0.01\" }").isEmpty)
        let declared = "prometheus: { url: \"http://127.0.0.1:9090\", query: \"ratio\", unit: ratio }"
        #expect(Self.errors(declared, expect: "{ value: \"< 1%\" }").isEmpty)
        #expect(Self.errors(declared, expect: "{ value: \"< 0.01\" }").isEmpty)
    }

    @Test func aBuiltInMetricGivesValueItsUnit() {
        let lag = "postgres: { dsn: \"host=127.0.0.1\", metric: replication-lag }"
        #expect(Self.errors(lag, expect: "{ value: \"< 1s\", lag-bytes: \"< 16MiB\", standbys: \">= 1\", lag-seconds: \"< 2s\" }").isEmpty)
        #expect(Self.errors(lag, expect: "{ value: \"< 1\" }").first?.message.hasPrefix("`expect`: `value` is a duration") == true)
        let connections = "postgres: { dsn: \"host=127.0.0.1\", metric: connections }"
        #expect(Self.errors(connections, expect: "{ value: \"< 80%\" }").isEmpty)
        #expect(Self.errors(connections, expect: "{ value: \"< 80\" }").first?.message.hasPrefix("`expect`: `value` is a percentage") == true)
        let both = "postgres: { dsn: \"host=127.0.0.1\", metric: connections, unit: ratio }"
        #expect(!Self.errors(both, expect: "{ value: \"< 80%\" }").isEmpty)
    }

    @Test func textTakesPlainNumbersAndBooleansTakeTrueOrFalse() {
        let command = "command: [echo, \"3\"]"
        #expect(Self.errors(command, expect: "{ stdout: \"< 5\", exit-code: 0 }").isEmpty)
        #expect(Self.errors(command, expect: "{ stdout: \"< 5s\" }").first?.message.hasPrefix("`expect`: `stdout` is text with no known unit") == true)
        let tcp = "tcp: { host: 127.0.0.1, port: 1 }"
        #expect(Self.errors(tcp, expect: "{ connected: true }").isEmpty)
        #expect(Self.errors(tcp, expect: "{ connected: 1 }").first?.message == "`expect`: `connected` is a boolean")
    }

    @Test func aPercentageAgainstARatioIsJudgedAsTheSameShare() throws {
        let fields = [ProbeField("value", .ratio, "error ratio")]
        let tolerance = try ToleranceJudgingTests.tolerance("{ value: \"< 1%\" }")
        let failing = tolerance.judge(["value": .number(0.05)], label: "prometheus", fields: fields)
        #expect(!failing.passed)
        #expect(failing.message == "value 5%, expected < 1%")
        #expect(tolerance.judge(["value": .number(0.005)], label: "prometheus", fields: fields).passed)
        let plain = try ToleranceJudgingTests.tolerance("{ value: \"< 0.01\" }")
        #expect(!plain.judge(["value": .number(0.05)], label: "prometheus", fields: fields).passed)
        #expect(plain.judge(["value": .number(0.005)], label: "prometheus", fields: fields).passed)
    }

    @Test func theFieldsOfACallFollowItsParameters() throws {
        let spec = try #require(TestCatalog.builtin.spec("prometheus"))
        let node = try ToleranceParsingTests.expectNode("expect: { url: x, query: y, unit: ratio }")
        #expect(spec.observedFields(node).first { $0.name == "value" }?.kind == .ratio)
        let bare = try ToleranceParsingTests.expectNode("expect: { url: x, query: y }")
        #expect(spec.observedFields(bare).first { $0.name == "value" }?.kind == .dynamic)
    }

    @Test func everyProbeDeclaresItsFields() {
        for spec in TestCatalog.builtin.all where spec.role.contains(.probe) {
            #expect(!spec.fields.isEmpty, "\(spec.key) declares no fields")
            #expect(Set(spec.fields.map(\.name)).count == spec.fields.count, "\(spec.key) declares a field twice")
        }
    }
}
