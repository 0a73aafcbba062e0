import FiredrillCore

extension HTMLReport {
    /// `Run record`: who ran it, where, with which parameters and versions, from which plan source and runbook.
    static func runRecord(_ r: RunReport, _ h: inout Page) {
        let rec = r.record
        h.add("<section id=\"run-record\"><h2>Run record</h2>")
        if !rec.recorded { h.add("<p class=\"muted\" id=\"record-not-recorded\">\(x(ReportLabels.notRecordedNote))</p>") }
        h.add("<table class=\"facts\"><tbody>")
        h.fact("Operator", "<span id=\"operator\">\(x(rec.operatorSummary))</span>")
        h.fact("Environment", "<span id=\"record-environment\">\(x(r.environment))</span> — <span id=\"binding\">\(x(ReportLabels.binding(r)))</span>")
        h.fact("Plan source", "SHA-256 <code class=\"hash\">\(x(r.sha256))</code><br><span id=\"plan-source\">\(x(ReportLabels.planSource(r)))</span>")
        if let url = ReportLabels.linkableURL(rec.runbook) {
            h.fact("Runbook", "<a id=\"runbook\" href=\"\(x(url))\" rel=\"noopener noreferrer\">\(x(url))</a>")
        } else {
            h.fact("Runbook", "<span id=\"runbook\">\(x(rec.runbook ?? (rec.recorded ? "none given in the plan" : ReportLabels.notRecorded)))</span>")
        }
        h.fact("Firedrill", "<span id=\"firedrill-version\">\(x(rec.firedrill ?? ReportLabels.notRecorded))</span>")
        if rec.recorded, rec.tools.isEmpty { h.fact("External tools", "none used by the plan") }
        for tool in rec.tools {
            h.fact(x(tool.tool), "<span id=\"tool-\(ReportText.slug(tool.tool))\">\(x(tool.summary))</span> <span class=\"muted\">(<code>\(x(tool.command))</code>)</span>")
        }
        h.add("</tbody></table>")
        h.add("<h3>Effective parameters</h3>")
        if !rec.recorded {
            h.add("<p>Overrides \(ReportLabels.notRecorded).</p>")
        } else if rec.parameters.isEmpty {
            h.add("<p>The plan has no vars and none was set with <code>--var</code>.</p>")
        } else {
            let n = rec.overrides.count
            h.add(n == 0 ? "<p>No var was overridden.</p>" : "<p><strong id=\"override-count\">\(n) var\(n == 1 ? " was" : "s were") overridden with <code>--var</code>.</strong></p>")
            h.add("<table id=\"parameters\"><thead><tr><th>Var</th><th>Value used</th><th>Plan's value</th><th>Source</th></tr></thead><tbody>")
            for p in rec.parameters {
                let source = p.overridden ? "<strong class=\"overridden\">overridden by --var</strong>" : "plan"
                let plan = p.planValue.map { "<code>\(x($0))</code>" } ?? "<span class=\"muted\">(not in the plan)</span>"
                h.add("<tr id=\"var-\(ReportText.slug(p.name))\"\(p.overridden ? " class=\"overridden\"" : "")><td><code>\(x(p.name))</code></td><td><code>\(x(p.value))</code>\(p.secretReference ? " <span class=\"muted\">(secret reference)</span>" : "")</td><td>\(plan)</td><td>\(source)</td></tr>")
            }
            h.add("</tbody></table>")
        }
        h.add("</section>")
    }
}
