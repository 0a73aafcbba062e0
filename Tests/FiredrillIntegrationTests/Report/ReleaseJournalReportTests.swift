import FiredrillCore
import FiredrillReport
import Foundation
import Testing

/// The report of a journal written by today's runner (committed in FiredrillCoreTests' fixtures with the
/// reports it rendered then) is rebuilt, through the typed vocabulary, byte for byte.
@Suite struct ReleaseJournalReportTests {
    static let fixture = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FiredrillCoreTests/Fixtures/journal/local-sandbox-outage")

    @Test func theReleaseJournalRendersTheReportsItWasCommittedWith() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-release-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in [Journal.fileName, "plan.yaml"] {
            try FileManager.default.copyItem(at: Self.fixture.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let report = try RunReport.load(runDirectory: dir.path)
        #expect(report.ending == "passed")
        #expect(report.journal.valid)
        #expect(report.phases.map(\.name) == ["baseline", "disaster", "recovery", "verify", "rollbacks", "recovered-after-rollback"])
        #expect(report.steps.map(\.name) == ["disable-restarts", "kill-every-worker", "enable-restarts", "restarts-enabled-again"])
        for format in [ReportWriter.Format.json, .md, .junit] {
            let committed = try String(contentsOf: Self.fixture.appendingPathComponent(format.fileName), encoding: .utf8)
            #expect(ReportWriter.render(report, as: format) == committed, "\(format.fileName) differs from the committed one")
        }
    }

    /// The benchmark's synthetic drill journal (every drill event, the undo ledger, failback) speaks the vocabulary.
    @Test func theSyntheticJournalUsesOnlyDeclaredEventsAndFields() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-synthetic-vocabulary-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try await SyntheticJournal.write(to: dir.path, probeEvents: 60)
        let events = try JournalReader.read(at: dir.appendingPathComponent(Journal.fileName)).events
        for event in events {
            #expect(event.undeclaredFields == [], "\(event.type): not in JournalEventType, or writes fields it does not declare")
        }
        let types = Set(events.compactMap(\.eventType))
        #expect(types.isSuperset(of: [.undoIntent, .undoStarted, .undoDone, .heartbeatStarted, .heartbeatStopped,
                                      .rpoMeasured, .failbackVerified, .rtoMeasured]))
    }
}
