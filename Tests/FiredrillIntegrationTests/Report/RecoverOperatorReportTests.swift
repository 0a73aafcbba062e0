import FiredrillCore
import FiredrillReport
import FiredrillTestSupport
import Foundation
import Testing

/// Who ran `firedrill recover` is journaled in `recover.started` and named in the re-rendered reports, beside the
/// run's own record.
@Suite struct RecoverOperatorReportTests {
    @Test func theRecoveringOperatorIsNamedInTheReports() async throws {
        let drivers = RigDrivers(base: TestDrivers(probes: ["http": ScriptedProbe()], steps: [
            "kubernetes.scale": UndoableStep(), "kubernetes.rollout-undo": OutputStep(output: [:], summary: "rolled back"),
        ], undos: ["kubernetes.scale": SucceedingUndo()]), meter: nil)
        let summary = try await ReportRig.run(ReportRig.experimentPlan(wait: "50ms"), drivers: drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        let dir = summary.runDirectory

        // A run set up without the executable's probes still records the operator and says what it did not check.
        let before = try ReportRig.render(dir).report
        #expect(before.record.recorded)
        #expect(before.record.osUser == RunOperator.current(flag: nil, environment: [:]).osUser)
        #expect(before.record.planSource == "not-checked")

        // Cut the journal after the undo intent, as if the runner was killed there.
        let path = dir + "/journal.jsonl"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let cut = try #require(lines.firstIndex { $0.contains("\"type\":\"undo.intent\"") })
        try (lines[...cut].joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        var session = RecoverSession(runDirectory: dir, drivers: drivers, catalog: TestCatalog.builtin, observer: nil)
        session.runOperator = RunOperator.current(flag: "Night Shift SRE", environment: [:])
        let outcome = try await session.recover()
        #expect(outcome.undone == 1 && outcome.failures == 0)

        let events = try JournalReader.read(at: URL(fileURLWithPath: path)).events
        let started = try #require(events.first { $0.is(.recoverStarted) })
        #expect(started.data["operator"]?["name"] == "Night Shift SRE")
        #expect(started.data["operator"]?["source"] == "--operator")
        #expect(started.undeclaredFields?.filter { $0 != "rollbacks-unknown" } == [])

        let out = try ReportRig.render(dir)
        let who = "Night Shift SRE (--operator); OS user \(session.runOperator.osUser)"
        #expect(out.report.recoverSessions.first?.runOperator?.hasPrefix(who) == true, "\(out.report.recoverSessions)")
        #expect(out.markdown.contains("`firedrill recover` by \(who)"), "\(out.markdown)")
        #expect(out.html.contains("<code>firedrill recover</code> by \(who)"))
    }
}
