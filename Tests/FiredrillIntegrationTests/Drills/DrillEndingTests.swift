import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// Endings through the built binary, with real processes and files: the recovery runbook runs to its end even once
/// `recovered` is stable, a drill whose `recovered` probe never saw an outage is INCONCLUSIVE (exit 5) unless the
/// plan says `expect-outage: false`, and an experiment whose fault matched no target is INCONCLUSIVE.
@Suite(.serialized) struct DrillEndingTests {
    static func drill(recovery: String, recovered: String, extra: String = "") -> String {
        """
        apiVersion: firedrill/v1
        kind: Drill
        name: drill-ending
        title: drill ending
        environment: test
        objectives: { rto: 1m }
        \(extra)
        steady-state:
          - name: shell-works
            command: ["true"]
            expect: { exit-code: 0 }
        disaster:
          - name: outage
            command: [rm, -f, up, final]
        recovery:
        \(recovery)
        recovered:
        \(recovered)
        verify:
          - name: runbook-finished
            command: [test, -e, final]
            expect: { exit-code: 0 }
        """
    }

    /// A drill whose `recovered` probe always passes: the disaster takes nothing down.
    static func neverDown(extra: String = "") -> String {
        drill(recovery: """
              - name: touch-final
                command: [touch, final]
            """, recovered: """
              command: ["true"]
              expect: { exit-code: 0 }
              every: 100ms
              consecutive: 2
              timeout: 30s
            """, extra: extra)
    }

    /// recovery = [wait 1s; touch up; sleep 3; touch final], recovered = `test -e up`: `recovered` is stable about
    /// 2s before the runbook ends, and the runbook's last step still runs.
    @Test func theRunbookRunsToItsEndAfterRecoveredIsStable() async throws {
        let harness = try DrillHarness(label: "runbook-end")
        let plan = try harness.writePlan(Self.drill(recovery: """
              - name: wait-a-second
                wait: 1s
              - name: touch-up
                command: [touch, up]
              - name: sleep-three
                command: [sleep, "3"]
              - name: touch-final
                command: [touch, final]
            """, recovered: """
              command: [test, -e, up]
              expect: { exit-code: 0 }
              every: 100ms
              consecutive: 3
              timeout: 30s
            """), name: "runbook-end.yaml")
        let run = try await harness.run(plan, vars: [:], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.account)")
        #expect(run.ending == "passed", "\(run.account)")
        #expect(FileManager.default.fileExists(atPath: harness.directory + "/final"), "the last recovery step never ran: \(run.account)")
        #expect(run.events.filter { $0.type == "step.ended" && $0.data["status"] == "cancelled" }.isEmpty, "\(run.account)")

        let stable = try #require(run.first("drill.stable"), "\(run.account)")
        let touchFinal = try #require(run.first("step.ended", step: "touch-final"), "\(run.account)")
        let runbookDone = try #require(run.first("recovery.runbook-done"), "\(run.account)")
        let verify = try #require(run.events.first { $0.type == "phase.started" && $0.data["phase"] == "verify" }, "\(run.account)")
        #expect(touchFinal.data["status"] == "ok")
        // `recovered` turned stable while `sleep 3` was still running; verify waited for the runbook.
        #expect(stable.seq < touchFinal.seq, "stable at #\(stable.seq), the last step ended at #\(touchFinal.seq)")
        #expect(runbookDone.seq < verify.seq)
        let rto = try #require(run.first("rto.measured")?.data["seconds"]?.doubleValue, "\(run.account)")
        #expect(rto >= 1 && rto < 4, "RTO \(rto)s: the service was back after the first second, before the runbook ended")
    }

    @Test func noOutageObservedIsInconclusiveWithItsOwnExitCode() async throws {
        let harness = try DrillHarness(label: "no-outage")
        let plan = try harness.writePlan(Self.neverDown(), name: "no-outage.yaml")
        let run = try await harness.run(plan, vars: [:], timeout: .seconds(60))
        #expect(run.status == 5, "\(run.account)")
        #expect(run.ending == "inconclusive", "\(run.account)")
        let rto = try #require(run.first("rto.measured"), "\(run.account)")
        #expect(rto.data["verdict"] == "inconclusive", "\(rto.data)")
        #expect(rto.data["seconds"] == .null, "no RTO figure without an outage: \(rto.data)")
        #expect(rto.data["met"] == .null)
        let ended = try #require(run.first("run.ended"))
        #expect(ended.data["exit-code"]?.doubleValue == 5)
        #expect(ended.data["precedence"] == ["interrupted", "aborted", "failed", "deviated", "inconclusive", "passed"])
        #expect(run.output.contains("INCONCLUSIVE: "), "\(run.output)")
        let report = try String(contentsOfFile: run.runDirectory + "/report.md", encoding: .utf8)
        #expect(report.contains("INCONCLUSIVE (exit 5)"), "\(report.prefix(600))")
    }

    @Test func expectOutageFalseJudgesTheRTOWithoutAnOutage() async throws {
        let harness = try DrillHarness(label: "expect-no-outage")
        let plan = try harness.writePlan(Self.neverDown(extra: "expect-outage: false"), name: "expect-no-outage.yaml")
        let run = try await harness.run(plan, vars: [:], timeout: .seconds(60))
        #expect(run.status == 0, "\(run.account)")
        let rto = try #require(run.first("rto.measured"), "\(run.account)")
        #expect(rto.data["verdict"] == "met", "\(rto.data)")
        #expect(rto.data["outage-detected"] == false)
    }

    @Test func anExperimentWhoseFaultMatchedNoTargetIsInconclusive() async throws {
        let harness = try DrillHarness(label: "no-target")
        let plan = try harness.writePlan("""
            apiVersion: firedrill/v1
            kind: Experiment
            name: no-target
            title: a fault that matches nothing
            environment: test
            steady-state:
              - name: shell-works
                command: ["true"]
                expect: { exit-code: 0 }
            method:
              - name: kill-nothing
                process.kill: { match: "no-such-process-\(UUID().uuidString)", if-none: skip }
            """, name: "no-target.yaml")
        let run = try await harness.run(plan, vars: [:], timeout: .seconds(60))
        #expect(run.status == 5, "\(run.account)")
        #expect(run.ending == "inconclusive", "\(run.account)")
        #expect(run.first("run.ended")?.data["reason"]?.stringValue?.contains("kill-nothing") == true, "\(run.account)")
    }
}
