import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// Drills against fakes: RTO instants and verdicts, failback and rollbacks after an abort.
@Suite struct DrillRunnerTests {
    static func plan(rto: String = "5s", guardBlock: String = "") -> String {
        """
        apiVersion: firedrill/v1
        kind: Drill
        name: drill-test
        title: drill test
        environment: test
        objectives: { rto: \(rto) }
        steady-state:
          - name: health
            http: { url: "http://127.0.0.1:9/health" }
        \(guardBlock)
        disaster:
          - name: outage
            kubernetes.scale: { deployment: api, replicas: 0 }
        recovery:
          - name: repair
            kubernetes.scale: { deployment: api, replicas: 3 }
        recovered:
          http: { url: "http://127.0.0.1:9/health" }
          every: 50ms
          consecutive: 3
          timeout: 10s
        failback:
          - name: failback
            kubernetes.rollout-restart: { deployment: api }
        rollbacks:
          - name: rollback
            kubernetes.rollout-undo: { deployment: api }
        """
    }

    struct Rig {
        let probe = ScriptedProbe()
        let guardProbe = ScriptedProbe()
        let recorded = RecordingStep()
        let repairDelay: Duration

        var drivers: TestDrivers {
            let probe = self.probe
            let delay = repairDelay
            return TestDrivers(probes: ["http": probe, "tcp": guardProbe], steps: [
                "kubernetes.scale": ClosureStep { name in
                    if name == "outage" { probe.set(passing: false) } else {
                        try await Task.sleep(for: delay)
                        probe.set(passing: true)
                    }
                },
                "kubernetes.rollout-restart": recorded, "kubernetes.rollout-undo": recorded,
            ])
        }
    }

    @Test func measuresRTOAndPasses() async throws {
        let rig = Rig(repairDelay: .milliseconds(400))
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan()), drivers: rig.drivers)
        #expect(summary.ending == .passed, "\(summary.reason)")
        let rto = try #require(summary.events.first { $0.type == "rto.measured" })
        let seconds = try #require(rto.data["seconds"]?.doubleValue)
        #expect(seconds >= 0.4 && seconds < 0.4 + 0.05 * 3 + 1.0, "RTO \(seconds)")
        #expect(rto.data["met"] == .bool(true))
        let detection = try #require(rto.data["detection-seconds"]?.doubleValue)
        let repair = try #require(rto.data["repair-seconds"]?.doubleValue)
        #expect(detection < 0.5, "probed every 50 ms, the outage took \(detection) s to detect")
        #expect(abs(detection + repair - seconds) < 0.001)
        #expect(rig.probe.releases == ["recovered"], "the recovered watch releases its probe once")
        let types = summary.events.map(\.type)
        for t in ["drill.injected", "drill.detected", "drill.first-healthy", "drill.stable"] {
            #expect(types.contains(t), "missing \(t)")
        }
        #expect(rig.recorded.names == ["failback", "rollback"])
    }

    @Test func missedObjectiveDeviates() async throws {
        let rig = Rig(repairDelay: .milliseconds(500))
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(rto: "100ms")), drivers: rig.drivers)
        #expect(summary.ending == .deviated)
        #expect(summary.reason.contains("exceeds the objective 100ms"))
        let rto = try #require(summary.events.first { $0.type == "rto.measured" })
        #expect(rto.data["met"] == .bool(false))
    }

    @Test func abortMidDrillStillFailsBackAndRollsBack() async throws {
        let rig = Rig(repairDelay: .seconds(5))
        let guards = """
        guards:
          - name: other-region
            tcp: { host: 127.0.0.1, port: 9 }
            every: 50ms
        """
        let flip = Task {
            try await Task.sleep(for: .milliseconds(300))
            rig.guardProbe.set(passing: false)
        }
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(guardBlock: guards)), drivers: rig.drivers)
        try await flip.value
        #expect(summary.ending == .aborted)
        #expect(rig.recorded.names == ["failback", "rollback"])
        #expect(summary.events.contains { $0.type == "phase.started" && $0.data["phase"] == "failback" })
    }
}
