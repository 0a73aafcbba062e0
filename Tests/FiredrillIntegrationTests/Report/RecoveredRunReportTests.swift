import FiredrillCore
import FiredrillReport
import FiredrillTestSupport
import Foundation
import Testing

/// A run whose runner died mid-write: the report says what is owed; after `firedrill recover` (the real
/// `RecoverSession`, appending to the same journal) the re-rendered report shows the recover pass.
@Suite struct RecoveredRunReportTests {
    @Test func crashedRunThenRecover() async throws {
        let probe = ScriptedProbe()
        let drivers = RigDrivers(base: TestDrivers(probes: ["http": probe], steps: [
            "kubernetes.scale": UndoableStep(), "kubernetes.rollout-undo": OutputStep(output: [:], summary: "rolled back"),
        ], undos: ["kubernetes.scale": SucceedingUndo()]), meter: nil)
        let summary = try await ReportRig.run(ReportRig.experimentPlan(wait: "50ms"), drivers: drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        let dir = summary.runDirectory

        // Keep the journal up to the undo intent, as if the runner was SIGKILLed while writing the next line.
        let path = dir + "/journal.jsonl"
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let cut = try #require(lines.firstIndex { $0.contains("\"type\":\"undo.intent\"") })
        try (lines[...cut].joined(separator: "\n") + "\n{\"data\":{\"phase\":\"met").write(toFile: path, atomically: true, encoding: .utf8)

        let crashed = try ReportRig.render(dir).report
        #expect(crashed.ending == "unfinished")
        #expect(crashed.undos.map(\.status) == ["pending"])
        #expect(crashed.journal.valid == false)
        #expect(Set(crashed.actionItems.map(\.kind)) == ["undo-pending", "journal-torn"])
        #expect(crashed.deviations.contains { $0.kind == "unfinished" })
        let crashedJUnit = try JUnitSummary(xml: ReportWriter.render(crashed, as: .junit))
        #expect(crashedJUnit.failedCases.contains { $0.hasSuffix(".undo/undo #1 (inject) owed") })
        #expect(crashedJUnit.failedCases.contains { $0.hasSuffix(".run/rollback") })

        let outcome = try await RecoverSession(runDirectory: dir, drivers: drivers, catalog: TestCatalog.builtin, observer: nil).recover()
        #expect(outcome.undone == 1 && outcome.failures == 0)

        let out = try ReportRig.render(dir)
        let r = out.report
        #expect(r.journal.valid)
        #expect(r.recoverSessions.count == 1 && r.recoverSessions.first?.failures == 0)
        #expect(r.undos.map(\.status) == ["done"])
        #expect(r.rollbacks.map(\.byRecover) == [true, true])
        #expect(r.rollbacks.map(\.status) == ["ok", "ok"])
        #expect(r.phases.last?.name == "recover")
        #expect(!r.actionItems.contains { ["undo-pending", "journal-torn", "unfinished"].contains($0.kind) })
        #expect(out.markdown.contains("completed later by firedrill recover"))
        #expect(out.markdown.contains("(by `firedrill recover`)"))
        #expect(out.html.contains("firedrill recover</code> by"))
        let junit = try JUnitSummary(xml: out.junit)
        #expect(!junit.failedCases.contains { $0.hasSuffix(".run/rollback") })
        #expect(junit.failedCases.contains { $0.hasSuffix(".run/ending") })
    }
}
