import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore

/// `firedrill history --html` in headless Chromium: per plan an RTO/RPO chart with the objective lines, and a
/// cadence strip showing each due date as run, missed or failed; a screenshot renders.
@Suite(.serialized) struct HistoryPageBrowserTests {
    @Test func chromiumRendersTheChartsAndTheCadenceStrip() async throws {
        let dir = try TempDirectory.make(prefix: "history-html")
        try FileManager.default.createDirectory(atPath: dir + "/plans", withIntermediateDirectories: true)
        try ProgramCLI.plan(name: "db-failover", marker: "/tmp/unused", schedule: "{ cron: \"0 3 * * *\", timezone: UTC }")
            .write(toFile: dir + "/plans/db-failover.yaml", atomically: true, encoding: .utf8)
        let store = try await SQLiteRunStore.open(path: dir + "/history.sqlite")
        // Daily at 03:00 UTC for the last ten days: days 4 and 7 missed, day 5 failed.
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let today = utc.startOfDay(for: Date())
        var measured = 0
        for day in 1...10 where day != 4 && day != 7 {
            let start = today.addingTimeInterval(Double(-day) * 86_400 + 3 * 3600 + 300)
            let startedAt = RunRecord.rfc3339(start)
            let rto = 30 + Double(day) * 4.5
            measured += 1
            try await store.save(RunRecord(
                id: RunRecord.id(runDirectory: "/reports/\(day)", startedAt: startedAt), plan: "db-failover", planSHA256: String(repeating: "a", count: 64),
                kind: "Drill", environment: "staging", runBy: "<b>sre</b>@runner", startedAt: startedAt,
                endedAt: RunRecord.rfc3339(start.addingTimeInterval(600)), ending: day == 5 ? "failed" : "passed", runDirectory: "/reports/\(day)",
                objectives: [ObjectiveRecord(name: "RTO", targetSeconds: 60, achievedSeconds: rto, verdict: rto <= 60 ? "MET" : "MISSED"),
                             ObjectiveRecord(name: "RPO", targetSeconds: 10, achievedSeconds: Double(day), verdict: "MET")]))
        }
        await store.close()

        let html = dir + "/history.html"
        let out = try await ProgramCLI.run(["history", "--store", dir + "/history.sqlite", "--html", html, "--plans", "plans"], in: dir)
        #expect(out.status == 0, "\(out.output)")
        #expect(out.output.contains("history page: \(html) ("), "\(out.output)")
        let url = URL(fileURLWithPath: html).absoluteString
        let dom = try await Chromium.run(["--dump-dom", url])
        #expect(dom.contains(#"<svg class="objectives""#))
        #expect(dom.components(separatedBy: #"class="point rto""#).count - 1 == measured)
        #expect(dom.components(separatedBy: #"class="point rpo""#).count - 1 == measured)
        #expect(dom.contains(#"class="target rto""#) && dom.contains(#"class="target rpo""#))
        #expect(dom.contains(#"class="line rto""#))
        #expect(dom.contains(#"<svg class="cadence""#))
        // Today's 03:00 has no run either: missed once its hour of grace is over.
        let todayMissed = Date().timeIntervalSince(today.addingTimeInterval(3 * 3600)) >= 3600 ? 1 : 0
        #expect(dom.components(separatedBy: #"class="slot missed""#).count - 1 == 2 + todayMissed)
        #expect(dom.components(separatedBy: #"class="slot failed""#).count - 1 == 1)
        #expect(dom.components(separatedBy: #"class="slot run""#).count - 1 >= 7)
        #expect(dom.contains("&lt;b&gt;sre&lt;/b&gt;@runner") && !dom.contains("<b>sre</b>"))
        #expect(!dom.contains("<script"))

        let shot = dir + "/history.png"
        _ = try await Chromium.run(["--screenshot=\(shot)", "--window-size=1000,1200", url])
        let png = try #require(FileManager.default.contents(atPath: shot), "no screenshot written")
        #expect(png.starts(with: [0x89, 0x50, 0x4E, 0x47]))
        #expect(png.count > 20_000, "screenshot is only \(png.count) bytes")
    }
}
