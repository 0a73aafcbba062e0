import FiredrillCore
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

/// The drill runner's phases against fakes: the heartbeat always stops, `verify` compares with the baseline, and
/// failback stops at its first failed step.
@Suite struct DrillRunnerPhaseTests {
    /// A heartbeat that writes nothing and counts how often it was stopped.
    final class CountingHeartbeat: HeartbeatDriver, Sendable {
        let stops = Mutex(0)

        func start(dsn: String, table: String, every: Duration, runID: String, context: DriverContext) async throws -> any HeartbeatSession {
            Session(owner: self)
        }

        struct Session: HeartbeatSession {
            let owner: CountingHeartbeat
            func stop() async -> HeartbeatStats {
                owner.stops.withLock { $0 += 1 }
                return HeartbeatStats()
            }
        }
    }

    /// `TestDrivers` plus a heartbeat driver.
    struct Drivers: DriverSet {
        let base: TestDrivers
        let heartbeatDriver: CountingHeartbeat
        func probe(_ key: String) -> (any ProbeDriver)? { base.probe(key) }
        func step(_ key: String) -> (any StepDriver)? { base.step(key) }
        func undo(_ key: String) -> (any UndoDriver)? { base.undo(key) }
        func heartbeat(_ kind: String) -> (any HeartbeatDriver)? { heartbeatDriver }
        func rpoMeter() -> (any RPOMeter)? { nil }
    }

    /// A probe that observes a fixed value.
    struct ValueProbe: ProbeDriver {
        let value: JSONValue
        func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
            Observation(value: ["value": value], summary: "value \(value)")
        }
    }

    static func plan(guards: String = "", verify: String = "", failback: String = "") -> String {
        """
        apiVersion: firedrill/v1
        kind: Drill
        name: drill-phases
        title: drill phases
        environment: test
        objectives: { rto: 5s }
        steady-state:
          - name: baseline-count
            postgres: { dsn: "host=127.0.0.1", query: "SELECT count(*) FROM orders" }
        \(guards)
        heartbeat:
          postgres: { dsn: "host=127.0.0.1", every: 10ms }
        disaster:
          - name: outage
            command: [outage]
        recovered:
          http: { url: "http://127.0.0.1:9/health" }
          every: 20ms
          consecutive: 2
          timeout: 10s
        \(verify)
        \(failback)
        """
    }

    @Test func theHeartbeatStopsWhenAGuardAbortsTheDisaster() async throws {
        let heartbeat = CountingHeartbeat()
        let guardProbe = ScriptedProbe(passing: false)
        let drivers = Drivers(base: TestDrivers(
            probes: ["postgres": ValueProbe(value: 120), "http": ScriptedProbe(), "tcp": guardProbe],
            steps: ["command": ClosureStep { _ in try await Task.sleep(for: .seconds(5)) }]), heartbeatDriver: heartbeat)
        let guards = """
        guards:
          - name: other-region
            tcp: { host: 127.0.0.1, port: 9 }
            every: 20ms
        """
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(guards: guards)), drivers: drivers)
        #expect(summary.ending == .aborted, "\(summary.reason)")
        #expect(heartbeat.stops.withLock { $0 } == 1)
    }

    @Test func verifyComparesWithTheBaselineAndTheHeartbeatStopsOnce() async throws {
        let heartbeat = CountingHeartbeat()
        let drivers = Drivers(base: TestDrivers(
            probes: ["postgres": ValueProbe(value: 120), "http": ScriptedProbe()],
            steps: ["command": ClosureStep { _ in }]), heartbeatDriver: heartbeat)
        let verify = """
        verify:
          - name: rows-survived
            postgres: { dsn: "host=127.0.0.1", query: "SELECT count(*) FROM orders" }
            expect: { value: ">= ${steps.baseline-count.value}" }
          - name: no-more-rows
            postgres: { dsn: "host=127.0.0.1", query: "SELECT count(*) FROM orders" }
            expect: { value: "< ${steps.baseline-count.value}" }
        """
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(verify: verify)), drivers: drivers)
        let results = summary.events.filter { $0.type == "probe.result" && $0.data["role"] == "verify" }
        #expect(results.map { $0.data["passed"] } == [true, false], "\(results.map(\.data))")
        #expect(results.last?.data["expected"]?.stringValue?.contains("< 120") == true, "\(results.map(\.data))")
        #expect(summary.ending == .deviated)
        #expect(heartbeat.stops.withLock { $0 } == 1)
    }

    @Test func failbackStopsAtItsFirstFailedStep() async throws {
        let ran = Mutex<[String]>([])
        let drivers = Drivers(base: TestDrivers(
            probes: ["postgres": ValueProbe(value: 1), "http": ScriptedProbe()],
            steps: ["command": ClosureStep { name in
                ran.withLock { $0.append(name) }
                if name == "rewind" || name == "optional-cleanup" { throw HarnessError("\(name) failed") }
            }]), heartbeatDriver: CountingHeartbeat())
        let failback = """
        failback:
          - name: optional-cleanup
            command: [cleanup]
            on-error: continue
          - name: rewind
            command: [rewind]
          - name: start-old-primary
            command: [start]
          - name: switch-back
            command: [switch]
        """
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(failback: failback)), drivers: drivers)
        #expect(ran.withLock { $0 } == ["outage", "optional-cleanup", "rewind"])
        let stopped = try #require(summary.events.first { $0.type == "failback.stopped" })
        #expect(stopped.step == "rewind")
        #expect(stopped.data["skipped"] == ["start-old-primary", "switch-back"])
        #expect(summary.rollback == .rollbackFailed)
    }
}
