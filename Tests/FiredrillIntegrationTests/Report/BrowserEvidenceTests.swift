import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// The HTML report of a signed, signed-off and annotated run in headless Chromium: the DOM holds the seal, the
/// recorded sign-off, the annotations and the evidence table, and a screenshot renders.
@Suite(.serialized) struct BrowserEvidenceTests {
    @Test func chromiumShowsTheSignOffAndTheEvidenceSection() async throws {
        let dir = try TempDirectory.make(prefix: "browser-evidence")
        let (key, _) = try await SignedRunTests.keys(in: dir)
        let plan = try SignedRunTests.plan(in: dir, name: "browser-evidence", wait: "10ms")
        let runDir = dir + "/run"
        let run = try await SignedRunTests.firedrill(["run", plan, "--report-dir", runDir, "--quiet", "--signing-key", key])
        #expect(run.status == 0, "\(run.output)")
        let sign = try await SignedRunTests.firedrill(["sign", runDir, "--role", "auditor", "--name", "Ada <Auditor>",
                                                       "--decision", "approved", "--signing-key", key])
        #expect(sign.status == 0, "\(sign.output)")
        let note = try await SignedRunTests.firedrill(["annotate", runDir, "--deviation", "the guard fired late", "--name", "sre-on-call"])
        #expect(note.status == 0, "\(note.output)")

        let url = URL(fileURLWithPath: runDir + "/report.html").absoluteString
        let dom = try await Chromium.run(["--dump-dom", url])
        #expect(dom.contains(#"id="recorded-sign-offs""#), "the recorded sign-off section is missing")
        #expect(dom.contains("Ada &lt;Auditor&gt;"), "the signer's name is shown, escaped")
        #expect(dom.contains(#"class="decision-approved">approved</strong>"#))
        #expect(dom.contains(#"id="annotations""#) && dom.contains("the guard fired late"))
        #expect(dom.contains(#"id="evidence-map""#), "the evidence table is missing")
        #expect(dom.contains("ISO 22301 §8.5"))
        #expect(dom.contains(#"<tr class="evidence-present"><td>Approval</td>"#))
        #expect(dom.contains(#"id="journal-seal" class="met">sealed: "#))
        #expect(dom.contains(#"id="journal-signing">signed by key "#))
        #expect(!dom.contains("<script"))

        let shot = runDir + "/evidence-screenshot.png"
        _ = try await Chromium.run(["--screenshot=\(shot)", "--window-size=1200,2400", url])
        let png = try #require(FileManager.default.contents(atPath: shot), "no screenshot written")
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "screenshot is only \(png.count) bytes")
    }
}
