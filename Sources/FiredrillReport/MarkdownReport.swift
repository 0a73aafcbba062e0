import FiredrillCore

/// `report.md`: the run for people, in the order an auditor reads it.
public enum MarkdownReport {
    public static func render(_ r: RunReport) -> String {
        var md: [String] = []
        md.append("# \(r.kind) report: \(r.title)")
        md.append("")
        md.append("| | |")
        md.append("|---|---|")
        md.append("| Ending | **\(r.ending)**\(r.exitCode.map { " (exit \($0))" } ?? "") |")
        md.append("| Reason | \(cell(r.reason)) |")
        md.append("| Rollback | \(r.rollback)\(r.recoveredAfterRollback.map { $0 ? " — steady state holds again" : " — steady state NOT restored" } ?? "") |")
        md.append("| Plan | `\(r.plan)` (\(cell(r.file))) |")
        md.append("| Plan SHA-256 | `\(r.sha256)`\(r.gitCommit.map { " · git `\($0)`" } ?? "") |")
        md.append("| Environment | \(r.environment) |")
        md.append("| Initiator | \(r.initiator) |")
        if !r.participants.isEmpty { md.append("| Participants | \(r.participants.joined(separator: ", ")) |") }
        md.append("| Started | \(r.started) |")
        md.append("| Ended | \(r.ended ?? "—")\(r.seconds.map { " (" + FixedPoint.format($0, 2) + "s)" } ?? "") |")
        md.append("")
        md.append("## Steps")
        md.append("")
        md.append("| Step | Phase | Kind | Start | Duration | Status | Output |")
        md.append("|---|---|---|---|---|---|---|")
        for s in r.steps {
            md.append("| \(cell(s.name)) | \(s.phase) | \(s.kind) | \(s.started) | \(s.seconds.map { FixedPoint.format($0, 3) + "s" } ?? "—") | \(s.status) | \(cell(s.excerpt)) |")
        }
        md.append("")
        md.append("## Probes")
        md.append("")
        md.append("| Probe | Role | Executions | Failures | Last result |")
        md.append("|---|---|---|---|---|")
        for p in r.probes {
            md.append("| \(cell(p.probe)) | \(p.role) | \(p.executions) | \(p.failures) | \(cell(p.lastMessage)) |")
        }
        if !r.guardBreaches.isEmpty {
            md.append("")
            md.append("## Guard breaches")
            md.append("")
            for b in r.guardBreaches { md.append("- \(cell(b))") }
        }
        if !r.undos.isEmpty {
            md.append("")
            md.append("## Undo ledger")
            md.append("")
            md.append("| # | Step | Undo | Status | How |")
            md.append("|---|---|---|---|---|")
            for u in r.undos { md.append("| \(u.id) | \(cell(u.step)) | \(cell(u.description)) | \(u.status) | \(cell(u.how ?? "")) |") }
        }
        if !r.notes.isEmpty {
            md.append("")
            md.append("## Operator notes")
            md.append("")
            for n in r.notes { md.append("- \(cell(n))") }
        }
        md.append("")
        md.append("## Evidence")
        md.append("")
        md.append("The journal (`journal.jsonl`) holds \(r.journalEvents) events, each fsynced when written and chained by SHA-256.")
        md.append("Head of the chain: `\(r.journalHead)`. Chain check: \(r.journalValid ? "valid" : "**BROKEN** — \(r.journalProblem ?? "")").")
        md.append("Check it again at any time with `firedrill verify <run directory>`.")
        md.append("")
        return md.joined(separator: "\n")
    }

    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
