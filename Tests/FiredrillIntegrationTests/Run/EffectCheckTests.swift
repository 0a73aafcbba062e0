import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `effect:` through the built binary with a real TCP listener: an experiment whose method kills the listener
/// sees the fault and passes; one whose method leaves it alone is INCONCLUSIVE (exit 5), naming the check.
@Suite(.serialized) struct EffectCheckTests {
    /// A python3 listener on 127.0.0.1:`port` that accepts and closes connections; `marker` is in its command line
    /// for `process.kill { match: }`. Returns once it listens.
    static func listener(port: Int, marker: String, directory: String) async throws -> ChildProcess {
        let ready = directory + "/listening-\(marker)"
        let script = """
            import socket, sys
            s = socket.socket()
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(("127.0.0.1", int(sys.argv[1])))
            s.listen(64)
            open(sys.argv[2], "w").close()
            while True:
                c, _ = s.accept()
                c.close()
            """
        let child = try ChildProcess(["/usr/bin/python3", "-c", script, String(port), ready, marker])
        try await DrillHarness.waitUntil("the listener on port \(port) is up", timeout: .seconds(20)) {
            FileManager.default.fileExists(atPath: ready)
        }
        return child
    }

    static func plan(name: String, port: Int, method: String) -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: \(name)
        title: the listener's port refuses connections during the method
        environment: test
        steady-state:
          - name: shell-works
            command: ["true"]
            expect: { exit-code: 0 }
        effect:
          - name: listener-down
            tcp: { host: 127.0.0.1, port: \(port) }
            expect: { connected: false }
            every: 100ms
        method:
        \(method)
        """
    }

    @Test func killingTheListenerIsSeenAndThePlanPasses() async throws {
        let harness = try DrillHarness(label: "effect-seen")
        let port = try LoopbackPort.free()
        let marker = "firedrill-effect-\(UUID().uuidString.prefix(8))"
        let listener = try await Self.listener(port: port, marker: marker, directory: harness.directory)
        defer { listener.signal(SIGKILL) }
        let plan = try harness.writePlan(Self.plan(name: "effect-seen", port: port, method: """
              - name: kill-listener
                process.kill: { match: "\(marker)" }
              - name: hold
                wait: 3s
            """), name: "effect-seen.yaml")
        let run = try await harness.run(plan, vars: [:], timeout: .seconds(90))
        #expect(run.status == 0, "\(run.account)")
        #expect(run.ending == "passed", "\(run.account)")
        #expect(await listener.wait(timeout: .seconds(10)) != nil, "the listener survived the kill")

        let seen = try #require(run.first("effect.seen", step: "listener-down"), "\(run.account)")
        #expect(seen.data["observed"]?["connected"] == false, "\(seen.data)")
        #expect(run.first("effect.not-seen") == nil, "\(run.account)")
        // Seen by the watch while the method ran (3 s of waiting at 100 ms), not only by the check after it.
        let killed = try #require(run.first("step.ended", step: "kill-listener"))
        let held = try #require(run.first("step.ended", step: "hold"))
        #expect(killed.seq < seen.seq && seen.seq < held.seq, "seen at #\(seen.seq), kill ended #\(killed.seq), wait ended #\(held.seq)")
        // Before the kill the listener accepted: the check had not seen the fault yet.
        let before = run.events.filter { $0.type == "probe.result" && $0.data["role"] == "effect" && $0.seq < killed.seq }
        #expect(before.allSatisfy { $0.data["passed"] == false }, "\(before.map(\.data))")

        let report = try String(contentsOfFile: run.runDirectory + "/report.md", encoding: .utf8)
        #expect(report.contains("## Effect checks"), "\(report.prefix(800))")
        #expect(report.contains("| listener-down | **seen** |"), "\(report)")
        let html = try String(contentsOfFile: run.runDirectory + "/report.html", encoding: .utf8)
        #expect(html.contains("<tr class=\"effect-seen\"><td>listener-down</td>"), "no seen row in report.html")
    }

    @Test func aMethodThatMissesTheListenerIsInconclusive() async throws {
        let harness = try DrillHarness(label: "effect-not-seen")
        let port = try LoopbackPort.free()
        let marker = "firedrill-effect-\(UUID().uuidString.prefix(8))"
        let listener = try await Self.listener(port: port, marker: marker, directory: harness.directory)
        defer { listener.signal(SIGKILL) }
        let plan = try harness.writePlan(Self.plan(name: "effect-not-seen", port: port, method: """
              - name: hold
                wait: 1s
            """), name: "effect-not-seen.yaml")
        let run = try await harness.run(plan, vars: [:], timeout: .seconds(90))
        #expect(run.status == 5, "\(run.account)")
        #expect(run.ending == "inconclusive", "\(run.account)")
        #expect(kill(listener.pid, 0) == 0, "the listener should still be running")

        #expect(run.first("effect.seen") == nil, "\(run.account)")
        let notSeen = try #require(run.first("effect.not-seen", step: "listener-down"), "\(run.account)")
        let held = try #require(run.first("step.ended", step: "hold"))
        #expect(held.seq < notSeen.seq)
        #expect(notSeen.data["observed"]?["connected"] == true, "the last observation is quoted: \(notSeen.data)")
        let probes = run.events.filter { $0.type == "probe.result" && $0.data["role"] == "effect" }
        #expect(probes.count >= 3, "the effect check was watched every 100ms through a 1s method: \(probes.count) results")
        #expect(probes.allSatisfy { $0.data["passed"] == false && $0.data["observed"]?["connected"] == true })

        let reason = try #require(run.first("run.ended")?.data["reason"]?.stringValue)
        #expect(reason.contains("effect check `listener-down` never saw the fault: the fault may not have hit anything"), "\(reason)")
        #expect(run.output.contains("INCONCLUSIVE"), "\(run.output)")

        let report = try String(contentsOfFile: run.runDirectory + "/report.md", encoding: .utf8)
        #expect(report.contains("INCONCLUSIVE (exit 5)"), "\(report.prefix(600))")
        #expect(report.contains("| listener-down | **not seen** |"), "\(report)")
        #expect(report.contains("Effect check \"listener-down\" never saw the fault"), "no action item: \(report)")
    }
}
