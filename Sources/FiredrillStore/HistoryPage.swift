import FiredrillCore
import FiredrillReport
import Foundation

/// `firedrill history --html`: one self-contained page (inline CSS and SVG, no script, nothing fetched) with, per
/// plan, a chart of RTO and RPO per run against the objective line, a cadence strip of its due dates (run, missed,
/// failed) when the plan is scheduled, and its runs as a table.
public enum HistoryPage {
    /// Cadence strips show at most this many of the latest due dates.
    public static let stripSlots = 60

    public static func render(runs: [RunRecord], schedules: [ScheduledPlan], now: Date, source: String) -> String {
        let byPlan = Dictionary(grouping: runs, by: \.plan)
        let scheduled = Dictionary(schedules.map { ($0.plan.name, $0) }, uniquingKeysWith: { first, _ in first })
        let names = Set(byPlan.keys).union(scheduled.keys).sorted()
        var body = ""
        for name in names {
            let planRuns = (byPlan[name] ?? []).sorted { $0.startedEpoch < $1.startedEpoch }
            body += "<section class=\"plan\" id=\"plan-\(ReportText.html(name))\">\n<h2>\(ReportText.html(name))</h2>\n"
            body += "<p class=\"meta\">\(planRuns.count) run\(planRuns.count == 1 ? "" : "s")"
            if let schedule = scheduled[name] { body += " · scheduled \(ReportText.html(schedule.scheduleText))" }
            body += "</p>\n"
            body += chart(planRuns)
            if let schedule = scheduled[name] {
                body += strip(DrillCadence.compute(cron: schedule.cron, timeZone: schedule.timeZone, runs: planRuns, now: now), timeZone: schedule.timeZone)
            }
            body += table(planRuns)
            body += "</section>\n"
        }
        return """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Firedrill history</title>
        <style>\(css)</style></head>
        <body><h1>Drill program history</h1>
        <p class="meta">\(runs.count) run\(runs.count == 1 ? "" : "s") of \(names.count) plan\(names.count == 1 ? "" : "s") from \(ReportText.html(source)), generated \(RunRecord.rfc3339(now).prefix(19))Z</p>
        \(names.isEmpty ? "<p>No runs recorded.</p>\n" : "")\(body)</body></html>

        """
    }

    static let css = """
        body{font-family:system-ui,sans-serif;margin:2em;color:#222}h2{margin-top:2em}.meta{color:#666}
        svg{display:block;margin:.5em 0}.rto{stroke:#1f6fb2;fill:#1f6fb2}.rpo{stroke:#c2571a;fill:#c2571a}
        .line{fill:none;stroke-width:2}.target{stroke-dasharray:6 4;stroke-width:1.5;fill:none}.axis{stroke:#999}
        text{font-size:11px;fill:#444;stroke:none}.slot.run{fill:#2e8b57}.slot.missed{fill:#d62728}.slot.failed{fill:#ff9f1a}
        .slot.pending{fill:#bbb}table{border-collapse:collapse;margin-top:.5em}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}
        """

    /// The RTO/RPO chart: one point per run that measured it, joined; the latest objective as a dashed line.
    static func chart(_ runs: [RunRecord]) -> String {
        let series = ["RTO", "RPO"].map { name in
            (name: name, points: runs.enumerated().compactMap { i, run in run.objective(name)?.achievedSeconds.map { (i, $0) } },
             target: runs.last { $0.objective(name)?.targetSeconds != nil }?.objective(name)?.targetSeconds)
        }
        guard series.contains(where: { !$0.points.isEmpty || $0.target != nil }) else {
            return "<p class=\"meta\">No RTO or RPO measured.</p>\n"
        }
        let width = 720.0, height = 220.0, left = 60.0, right = 16.0, top = 14.0, bottom = 26.0
        let top_ = series.flatMap { $0.points.map(\.1) + ($0.target.map { [$0] } ?? []) }.max() ?? 1
        let ticks = ChartGeometry.ticks(upTo: max(top_ * 1.1, 1e-3))
        let yMax = ticks.last ?? 1
        let n = ChartGeometry.n
        func x(_ i: Int) -> Double { left + (runs.count <= 1 ? (width - left - right) / 2 : Double(i) * (width - left - right) / Double(runs.count - 1)) }
        func y(_ v: Double) -> Double { height - bottom - v / yMax * (height - top - bottom) }
        var svg = "<svg class=\"objectives\" width=\"\(n(width))\" height=\"\(n(height))\" viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" aria-label=\"RTO and RPO per run\">"
        svg += "<line class=\"axis\" x1=\"\(n(left))\" y1=\"\(n(height - bottom))\" x2=\"\(n(width - right))\" y2=\"\(n(height - bottom))\"/>"
        for tick in ticks {
            svg += "<text x=\"\(n(left - 6))\" y=\"\(n(y(tick) + 4))\" text-anchor=\"end\">\(ReportText.number(tick))s</text>"
        }
        for s in series {
            let cls = s.name.lowercased()
            if let target = s.target {
                svg += "<line class=\"target \(cls)\" x1=\"\(n(left))\" y1=\"\(n(y(target)))\" x2=\"\(n(width - right))\" y2=\"\(n(y(target)))\"><title>\(s.name) objective \(ReportText.seconds(target))</title></line>"
            }
            if s.points.count > 1 {
                svg += "<polyline class=\"line \(cls)\" points=\"" + s.points.map { "\(n(x($0.0))),\(n(y($0.1)))" }.joined(separator: " ") + "\"/>"
            }
            for (i, v) in s.points {
                svg += "<circle class=\"point \(cls)\" cx=\"\(n(x(i)))\" cy=\"\(n(y(v)))\" r=\"3.5\"><title>\(s.name) \(ReportText.seconds(v)) · \(ReportText.html(runs[i].startedAt))</title></circle>"
            }
        }
        svg += "<text x=\"\(n(left))\" y=\"\(n(height - 8))\">\(ReportText.html(HistoryTable.started(runs.first?.startedAt ?? "")))</text>"
        svg += "<text x=\"\(n(width - right))\" y=\"\(n(height - 8))\" text-anchor=\"end\">\(ReportText.html(HistoryTable.started(runs.last?.startedAt ?? "")))</text>"
        svg += "<text class=\"rto\" x=\"\(n(left + 8))\" y=\"\(n(top + 4))\">● RTO</text><text class=\"rpo\" x=\"\(n(left + 60))\" y=\"\(n(top + 4))\">● RPO</text>"
        return svg + "</svg>\n"
    }

    /// The cadence strip: the latest due dates, one cell each, coloured run / missed / failed / pending.
    static func strip(_ cadence: DrillCadence, timeZone: TimeZone) -> String {
        let slots = cadence.slots.suffix(stripSlots)
        guard !slots.isEmpty else { return "<p class=\"meta\">No due date yet.</p>\n" }
        let cell = 12.0, gap = 2.0
        let width = Double(slots.count) * (cell + gap)
        let n = ChartGeometry.n
        var svg = "<svg class=\"cadence\" width=\"\(n(width))\" height=\"\(n(cell))\" viewBox=\"0 0 \(n(width)) \(n(cell))\" role=\"img\" aria-label=\"due dates: run, missed or failed\">"
        for (i, slot) in slots.enumerated() {
            svg += "<rect class=\"slot \(slot.status.rawValue)\" x=\"\(n(Double(i) * (cell + gap)))\" y=\"0\" width=\"\(n(cell))\" height=\"\(n(cell))\"><title>due \(RunRecord.rfc3339(slot.due).prefix(16)) UTC: \(slot.status.rawValue)</title></rect>"
        }
        let missed = cadence.missedCount
        return svg + "</svg>\n<p class=\"meta\">\(slots.count) latest due date\(slots.count == 1 ? "" : "s") · \(missed) missed" + (cadence.overdue ? " · <strong>OVERDUE</strong>" : "") + "</p>\n"
    }

    static func table(_ runs: [RunRecord]) -> String {
        guard !runs.isEmpty else { return "" }
        var html = "<table><tr><th>Started (UTC)</th><th>Environment</th><th>Ending</th><th>RTO</th><th>RPO</th><th>Run by</th></tr>\n"
        for run in runs.reversed() {
            html += "<tr><td>\(ReportText.html(HistoryTable.started(run.startedAt)))</td><td>\(ReportText.html(run.environment))</td>"
                + "<td>\(ReportText.html(run.ending ?? "in progress"))</td><td>\(ReportText.html(HistoryTable.objective(run.objective("RTO"))))</td>"
                + "<td>\(ReportText.html(HistoryTable.objective(run.objective("RPO"))))</td><td>\(ReportText.html(run.runBy))</td></tr>\n"
        }
        return html + "</table>\n"
    }
}
