import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// The drill keys and verdict rules of honest numbers: `expect-outage`, `heartbeat.lead`, `rpo.query.primary`, the
/// RPO verdict of a measurement, a bound or nothing, and the inconclusive ending.
@Suite struct DrillVerdictTests {
    static func drill(_ extra: String, objectives: String = "{ rto: 1m, rpo: 5s }", heartbeat: String = "postgres: { dsn: \"host=127.0.0.1\", every: 100ms }",
                      rpo: String = "heartbeat: { dsn: \"host=127.0.0.1\" }") -> String {
        """
        apiVersion: firedrill/v1
        kind: Drill
        name: verdicts
        title: verdicts
        environment: test
        objectives: \(objectives)
        \(extra)
        heartbeat:
          \(heartbeat)
        disaster:
          - name: outage
            command: [outage]
        recovered:
          tcp: { host: 127.0.0.1, port: 9 }
        rpo:
          \(rpo)
        """
    }

    static func load(_ yaml: String) throws -> LoadResult {
        let dir = try TempDirectory.make(prefix: "firedrill-verdicts")
        let path = dir + "/plan.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        return PlanLoader.load(path: path, catalog: TestCatalog.builtin, overrides: [:])
    }

    @Test func theLeadIsTwiceTheRPOObjectiveUnlessSet() throws {
        let byDefault = try PlanFixture.load(Self.drill(""))
        #expect(byDefault.expectOutage)
        let hb = try #require(byDefault.heartbeat)
        #expect(hb.lead == nil)
        #expect(hb.effectiveLead(objective: byDefault.objectives?.rpo) == .seconds(10))

        let set = try PlanFixture.load(Self.drill("", heartbeat: "postgres: { dsn: \"host=127.0.0.1\", every: 100ms }\n  lead: 45s"))
        #expect(set.heartbeat?.lead == .seconds(45))
        #expect(set.heartbeat?.effectiveLead(objective: set.objectives?.rpo) == .seconds(45))

        // Never shorter than three markers.
        let tiny = HeartbeatSpec(dsn: "x", every: .seconds(1), table: "t", lead: .milliseconds(10), location: SourceLocation(file: "p", line: 1, column: 1))
        #expect(tiny.effectiveLead(objective: .seconds(1)) == .seconds(3))
    }

    @Test func expectOutageAndTheQueryPrimaryLoad() throws {
        let plan = try PlanFixture.load(Self.drill("expect-outage: false",
                                                   rpo: "query: { dsn: \"host=standby\", primary: \"host=primary\", query: \"SELECT max(at) FROM t\" }"))
        #expect(!plan.expectOutage)
        #expect(plan.rpo == .query(dsn: "host=standby", query: "SELECT max(at) FROM t", primary: "host=primary"))
    }

    @Test func aBadExpectOutageOrLeadIsADiagnosticAtItsPlace() throws {
        let result = try Self.load(Self.drill("expect-outage: maybe", heartbeat: "postgres: { dsn: \"host=127.0.0.1\" }\n  lead: soon"))
        #expect(result.plan == nil)
        let messages = result.diagnostics.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        #expect(messages.contains { $0.hasPrefix("7:16: `expect-outage` must be true or false") }, "\(messages)")
        #expect(messages.contains { $0.hasPrefix("10:9: `heartbeat.lead`") }, "\(messages)")
    }

    @Test func anExperimentRefusesExpectOutage() throws {
        let result = try Self.load("""
            apiVersion: firedrill/v1
            kind: Experiment
            name: e
            title: e
            environment: test
            expect-outage: false
            method:
              - command: ["true"]
            """)
        #expect(result.plan == nil, "\(result.rendered())")
    }

    @Test func rpoVerdictsOfAMeasurementABoundAndNothing() {
        func m(_ seconds: Double?, _ bound: RPOMeasurement.Bound = .exact) -> RPOMeasurement {
            RPOMeasurement(mode: "heartbeat", seconds: seconds, bound: bound, summary: "", detail: .null)
        }
        #expect(m(0.3).verdict(objective: 1) == .met)
        #expect(m(1).verdict(objective: 1) == .met)
        #expect(m(1.2).verdict(objective: 1) == .notMet)
        #expect(m(6.2, .lowerBound).verdict(objective: 5) == .notMet)
        #expect(m(0.3, .lowerBound).verdict(objective: 5) == .inconclusive, "a loss of at least 0.3s may still be more than 5s")
        #expect(m(nil).verdict(objective: 5) == .inconclusive, "no figure is not 0")
    }

    @Test func inconclusiveHasItsOwnExitCodeAndPlaceInThePrecedence() {
        #expect(RunEnding.inconclusive.exitCode == 5)
        let codes = [RunEnding.passed, .deviated, .aborted, .failed, .interrupted, .notStarted, .inconclusive].map(\.exitCode)
        #expect(codes == [0, 1, 2, 3, 130, 1, 5])
        #expect(RunEnding.precedence == [.interrupted, .aborted, .failed, .deviated, .inconclusive, .passed])
    }

    @Test func thePlanShowsTheLead() throws {
        let plan = try PlanFixture.load(Self.drill(""))
        let text = DryRunRenderer(plan: plan, resolver: Resolver(environment: [:]), describe: { _, _ in nil }).render()
        #expect(text.contains("lead 10s before the disaster (2 × objectives.rpo)"), "\(text)")
    }
}
