import FiredrillCore

extension MarkdownReport {
    /// `## Run record`: who ran it, where, with which parameters and versions, from which plan source and runbook.
    static func runRecord(_ r: RunReport, _ w: inout Writer) {
        let rec = r.record
        w.line("## Run record")
        w.line()
        if !rec.recorded {
            w.line(t(ReportLabels.notRecordedNote))
            w.line()
        }
        w.line("| | |")
        w.line("|---|---|")
        w.row("Operator", t(rec.operatorSummary))
        w.row("Environment", "\(t(r.environment)) — \(t(ReportLabels.binding(r)))")
        w.row("Plan source", "SHA-256 `\(t(r.sha256))` — \(t(ReportLabels.planSource(r)))")
        if let url = ReportLabels.linkableURL(rec.runbook) {
            w.row("Runbook", "[\(t(url))](\(url))")
        } else {
            w.row("Runbook", rec.runbook.map(t) ?? (rec.recorded ? "none given in the plan" : ReportLabels.notRecorded))
        }
        w.row("Firedrill", t(rec.firedrill ?? ReportLabels.notRecorded))
        if rec.recorded, rec.tools.isEmpty {
            w.row("External tools", "none used by the plan")
        }
        for tool in rec.tools {
            w.row(t(tool.tool), "\(t(tool.summary)) (`\(t(tool.command))`)")
        }
        w.line()
        w.line("### Effective parameters")
        w.line()
        if !rec.recorded {
            w.line("Overrides " + ReportLabels.notRecorded + ".")
        } else if rec.parameters.isEmpty {
            w.line("The plan has no vars and none was set with `--var`.")
        } else {
            let n = rec.overrides.count
            w.line(n == 0 ? "No var was overridden." : "**\(n) var\(n == 1 ? " was" : "s were") overridden with `--var`.**")
            w.line()
            w.line("| Var | Value used | Plan's value | Source |")
            w.line("|---|---|---|---|")
            for p in rec.parameters {
                let source = p.overridden ? "**overridden by --var**" : "plan"
                let plan = p.planValue.map(t) ?? "(not in the plan)"
                w.line("| \(t(p.name)) | \(t(p.value))\(p.secretReference ? " (secret reference)" : "") | \(plan) | \(source) |")
            }
        }
        w.line()
    }
}
