import FiredrillCore

extension MarkdownReport {
    /// Recorded sign-offs, post-drill annotations, and the evidence table.
    static func records(_ r: RunReport, _ w: inout Writer) {
        for problem in r.recordProblems ?? [] {
            w.line("> **\(t(problem))**")
            w.line()
        }
        if let signOffs = r.signOffs, !signOffs.isEmpty {
            w.line("### Recorded sign-offs")
            w.line()
            w.line("| # | Role | Name | Decision | Comment | Time | Signature |")
            w.line("|---|---|---|---|---|---|---|")
            for s in signOffs {
                w.line("| \(s.seq) | \(t(s.role)) | \(t(s.name)) | **\(t(s.decision))** | \(t(s.comment ?? "")) | \(ReportText.time(s.time)) | \(s.key.map { "key `\(JournalPublicKey.short($0))…`" } ?? "unsigned") |")
            }
            w.line()
        }
        if let notes = r.annotations, !notes.isEmpty {
            w.line("## Post-drill annotations")
            w.line()
            for (kind, title) in [("lesson", "Lessons learned"), ("deviation", "Deviations explained")] {
                let items = notes.filter { $0.kind == kind }
                guard !items.isEmpty else { continue }
                w.line("**\(title)**")
                w.line()
                for n in items { w.line("- \(t(n.text))" + (n.by.map { " — \(t($0))" } ?? "") + (n.key == nil ? " (unsigned)" : " (signed)")) }
                w.line()
            }
            let actions = notes.filter { $0.kind == "action" }
            if !actions.isEmpty {
                w.line("| Action item | Owner | Due | Recorded by |")
                w.line("|---|---|---|---|")
                for a in actions { w.line("| \(t(a.text)) | \(t(a.owner ?? "")) | \(t(a.due ?? "")) | \(t(a.by ?? ""))\(a.key == nil ? " (unsigned)" : " (signed)") |") }
                w.line()
            }
        }
        if let map = r.evidenceMap {
            w.line("## What this report evidences")
            w.line()
            w.line("What DR-test standards ask of a test record, and whether this report holds it. A map of contents, not a compliance determination.")
            w.line()
            w.line("| Element | Asked for by | Status | In this report |")
            w.line("|---|---|---|---|")
            for row in map { w.line("| \(row.element) | \(row.standards) | **\(row.status)** | \(t(row.detail)) |") }
            w.line()
        }
    }

    /// The seal and signature lines of the evidence section.
    static func integrity(_ r: RunReport, _ w: inout Writer) {
        guard let seal = r.journal.seal else { return }
        w.line("Seal: **\(t(seal))**. Signature: **\(t(r.journal.signing ?? "unsigned"))**.")
        for detail in r.journal.integrityDetails ?? [] { w.line("- \(t(detail))") }
        w.line()
    }
}
