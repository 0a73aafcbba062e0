/// Wording shared by the Markdown and HTML reports, so both say the same thing the same way.
enum ReportLabels {
    static func heading(_ r: RunReport) -> String {
        "\(r.kind.isEmpty ? "Run" : r.kind) report: \(r.title.isEmpty ? r.plan : r.title)"
    }

    static func ending(_ r: RunReport) -> String {
        r.ending.uppercased() + (r.exitCode.map { " (exit \($0))" } ?? "")
    }

    static func rollback(_ r: RunReport) -> String {
        var text = r.rollback
        if let skipped = r.rollbacksSkipped { text += " (skipped: \(skipped))" }
        if let recovered = r.recoveredAfterRollback {
            text += recovered ? "; steady state holds again" : "; steady state NOT restored"
        }
        if let pass = r.recoverSessions.last, let failures = pass.failures {
            text += failures == 0 ? "; completed later by firedrill recover (\(ReportText.time(pass.end?.time)))"
                : "; firedrill recover (\(ReportText.time(pass.end?.time))) left \(failures) failures"
        }
        return text
    }

    static func planCopy(_ r: RunReport) -> String {
        switch r.planCopy {
        case "matches": return "plan.yaml in the run directory has this SHA-256"
        case "differs": return "plan.yaml in the run directory does NOT have this SHA-256 (its description is not shown)"
        default: return "no plan.yaml in the run directory"
        }
    }

    static func journal(_ r: RunReport) -> String {
        let j = r.journal
        let chain = "\(j.events) events; chain " + (j.valid ? "intact" : "BROKEN: \(j.problem ?? "")")
        guard let seal = j.seal else { return chain }
        return chain + "; " + seal + "; " + (j.signing ?? "unsigned")
    }

    static func objective(_ o: RunReport.ObjectiveRow) -> String {
        o.objectiveSeconds.map { "≤ " + ReportText.seconds($0) } ?? (o.name == "RTO" || o.name == "RPO" ? "not set" : "all checks pass")
    }

    /// The RPO figure, "≥ " before a lower bound.
    static func rpoFigure(_ rpo: RunReport.RPO) -> String {
        (rpo.bound == "lower-bound" ? "≥ " : "") + ReportText.seconds(rpo.seconds)
    }

    /// The badge class of a verdict: met, missed, inconclusive or unset.
    static func verdictClass(_ verdict: String) -> String {
        switch verdict {
        case RunReport.Verdict.met: return "met"
        case RunReport.Verdict.missed: return "missed"
        case RunReport.Verdict.inconclusive: return "inconclusive"
        default: return "unset"
        }
    }

    static func achieved(_ o: RunReport.ObjectiveRow) -> String {
        if let a = o.achievedSeconds { return (o.lowerBound == true ? "≥ " : "") + ReportText.seconds(a) }
        switch o.verdict {
        case RunReport.Verdict.met: return "passed"
        case RunReport.Verdict.missed: return o.name == "RTO" || o.name == "RPO" ? "not achieved" : "failed"
        default: return "—"
        }
    }

    /// The four drill instants in order, with how each is defined.
    static func instants(_ rto: RunReport.RTO) -> [(id: String, label: String, mark: RunReport.Mark?)] {
        [
            ("injected", "Disaster injected (first disaster step starts)", rto.injected),
            ("detected", "Outage detected (first failed probe of recovered)", rto.detected),
            ("first-healthy", "First healthy probe", rto.firstHealthy),
            ("stable", "Stable (first of \(rto.consecutive.map(String.init) ?? "N") consecutive passes)", rto.stable),
        ]
    }

    /// Status words people scan for.
    static func status(_ s: String) -> String {
        switch s {
        case "ok": return "ok"
        case "failed": return "FAILED"
        case "cancelled": return "cancelled"
        case "interrupted": return "INTERRUPTED"
        default: return s
        }
    }

    static func stepOutput(_ step: RunReport.StepRow, limit: Int = 240) -> String {
        var text = step.summary
        if let output = step.output, output != .object([:]), output != .null {
            text += (text.isEmpty ? "" : " · ") + "output: " + ReportText.json(output)
        }
        return ReportText.excerpt(text, limit: limit)
    }

    static func probeValues(_ p: RunReport.ProbeRow) -> String {
        guard let field = p.valueField, let p50 = p.valueP50 else { return "—" }
        if field == "latency" {
            return "latency p50 \(ReportText.seconds(p50)) · p95 \(ReportText.seconds(p.valueP95)) · max \(ReportText.seconds(p.valueMax))"
        }
        func n(_ v: Double?) -> String { v.map(ReportText.number) ?? "—" }
        return "\(field) p50 \(n(p50)) · p95 \(n(p.valueP95)) · max \(n(p.valueMax))"
    }

    /// Whether every time in the run falls on one UTC day, so tables can show the time of day only.
    static func singleDay(_ r: RunReport) -> String? {
        guard let a = ReportText.day(r.started), a == ReportText.day(r.journal.lastTime ?? r.started) else { return nil }
        return a
    }

    static let verifyIntro = "The journal `journal.jsonl` is append-only: every event is fsynced when written and names the SHA-256 of the line before it, so any edit, insertion, removal or reordering breaks the chain. The head is the SHA-256 of the last line; with it, removing or changing final events is detectable too. To check this report against the journal:"
}
