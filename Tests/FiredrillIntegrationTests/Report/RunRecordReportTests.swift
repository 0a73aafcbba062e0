import FiredrillCore
@testable import FiredrillReport
import Foundation
import Testing

/// A journal written before runs recorded the operator, parameters, versions, plan source and runbook still
/// renders, and every report says "not recorded" rather than guessing.
@Suite struct RunRecordReportTests {
    @Test func theReleaseJournalRendersWithNotRecorded() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-record-release-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in [Journal.fileName, "plan.yaml"] {
            try FileManager.default.copyItem(at: ReleaseJournalReportTests.fixture.appendingPathComponent(name), to: dir.appendingPathComponent(name))
        }
        let events = try JournalReader.read(at: dir.appendingPathComponent(Journal.fileName)).events
        #expect(!events.contains { $0.is(.runRecord) }, "the fixture must stay an old-format journal")
        let report = try RunReport.load(runDirectory: dir.path)
        #expect(report.ending == "passed")
        #expect(!report.record.recorded)
        #expect(report.record.parameters.isEmpty && report.record.tools.isEmpty && report.record.runbook == nil)

        let markdown = ReportWriter.render(report, as: .md)
        #expect(markdown.contains("## Run record"))
        #expect(markdown.contains("| Operator | not recorded |"), "\(markdown)")
        #expect(markdown.contains("| Runbook | not recorded |"))
        #expect(markdown.contains("| Firedrill | not recorded |"))
        #expect(markdown.contains("Overrides not recorded."))
        let html = ReportWriter.render(report, as: .html)
        #expect(html.contains("<p class=\"muted\" id=\"record-not-recorded\">"))
        #expect(html.contains("<span id=\"operator\">not recorded</span>"))
        let json = try JSONValue.parse(ReportWriter.render(report, as: .json))
        #expect(json["record"]?["recorded"] == .bool(false))
    }

    @Test func aHostileRunbookInAJournalIsShownAsTextNeverAsALink() {
        for url in ["javascript:alert(1)", "https://x.example.com/\"><script>alert(1)</script>", "https://a.example.com/(x)"] {
            #expect(ReportLabels.linkableURL(url) == nil, "\(url)")
        }
        #expect(ReportLabels.linkableURL("https://wiki.example.com/runbooks/db?x=1#a") == "https://wiki.example.com/runbooks/db?x=1#a")
    }
}
