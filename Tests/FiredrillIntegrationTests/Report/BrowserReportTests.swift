import FiredrillCore
import FiredrillReport
import Foundation
import Testing

/// `report.html` in a real browser: headless Chromium loads the file, and the DOM it built holds the RTO and RPO
/// figures and the SVG charts; a screenshot renders. Without Chromium this test fails with how to install it.
@Suite(.serialized) struct BrowserReportTests {
    @Test func chromiumRendersTheDrillReport() async throws {
        let rig = ReportRig.Drill(repairDelay: .milliseconds(300), rpoSeconds: 1.25)
        let summary = try await ReportRig.run(ReportRig.drillPlan(), drivers: rig.drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        let out = try ReportRig.render(summary.runDirectory)
        let rto = try #require(out.report.drill?.rto?.seconds)
        let url = URL(fileURLWithPath: summary.runDirectory + "/report.html").absoluteString

        let dom = try await Chromium.run(["--dump-dom", url])
        #expect(dom.contains(#"id="rto-value">\#(ReportText.seconds(rto))</div>"#), "RTO figure missing from the DOM")
        #expect(dom.contains(#"id="rpo-value">1.250s</div>"#), "RPO figure missing from the DOM")
        #expect(dom.contains(#"id="rto-verdict">MET</span>"#))
        #expect(dom.contains("<svg"))
        #expect(dom.contains(#"class="probe-chart""#))
        #expect(dom.contains("<polyline") || dom.contains("<circle"))
        // The step named <script>… arrived as text, and nothing executable was created.
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!dom.contains("<script"))

        let shot = summary.runDirectory + "/screenshot.png"
        _ = try await Chromium.run(["--screenshot=\(shot)", "--window-size=1200,1600", url])
        let png = try #require(FileManager.default.contents(atPath: shot), "no screenshot written")
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "screenshot is only \(png.count) bytes")
    }
}
