import FiredrillCore

extension HTMLReport {
    /// Recorded sign-offs, post-drill annotations, and the evidence table.
    static func records(_ r: RunReport, _ h: inout Page) {
        for problem in r.recordProblems ?? [] {
            h.add("<p class=\"missed\" id=\"records-problem\"><strong>\(x(problem))</strong></p>")
        }
        if let signOffs = r.signOffs, !signOffs.isEmpty {
            h.add("<section id=\"recorded-sign-offs\"><h2>Recorded sign-offs</h2><table class=\"signoff\"><thead><tr><th>#</th><th>Role</th><th>Name</th><th>Decision</th><th>Comment</th><th>Time</th><th>Signature</th></tr></thead><tbody>")
            for s in signOffs {
                let signature = s.key.map { "key <code class=\"hash\">\(x(JournalPublicKey.short($0)))…</code>" } ?? "unsigned"
                h.add("<tr class=\"sign-off-entry\"><td>\(s.seq)</td><td>\(x(s.role))</td><td>\(x(s.name))</td><td><strong class=\"decision-\(ReportText.slug(s.decision))\">\(x(s.decision))</strong></td><td>\(x(s.comment ?? ""))</td><td>\(x(ReportText.time(s.time)))</td><td>\(signature)</td></tr>")
            }
            h.add("</tbody></table></section>")
        }
        if let notes = r.annotations, !notes.isEmpty {
            h.add("<section id=\"annotations\"><h2>Post-drill annotations</h2>")
            for (kind, title) in [("lesson", "Lessons learned"), ("deviation", "Deviations explained")] {
                let items = notes.filter { $0.kind == kind }
                guard !items.isEmpty else { continue }
                h.add("<h3>\(title)</h3><ul class=\"annotation-\(kind)\">")
                for n in items { h.add("<li>\(x(n.text))" + (n.by.map { " <span class=\"muted\">— \(x($0))\(n.key == nil ? ", unsigned" : ", signed")</span>" } ?? "") + "</li>") }
                h.add("</ul>")
            }
            let actions = notes.filter { $0.kind == "action" }
            if !actions.isEmpty {
                h.add("<h3>Action items</h3><table><thead><tr><th>Action item</th><th>Owner</th><th>Due</th><th>Recorded by</th></tr></thead><tbody>")
                for a in actions { h.add("<tr class=\"annotation-action\"><td>\(x(a.text))</td><td>\(x(a.owner ?? ""))</td><td>\(x(a.due ?? ""))</td><td>\(x(a.by ?? ""))\(a.key == nil ? " (unsigned)" : " (signed)")</td></tr>") }
                h.add("</tbody></table>")
            }
            h.add("</section>")
        }
        if let map = r.evidenceMap {
            h.add("<section id=\"evidence-map\"><h2>What this report evidences</h2>")
            h.add("<p class=\"muted\">What DR-test standards ask of a test record, and whether this report holds it. A map of contents, not a compliance determination.</p>")
            h.add("<table><thead><tr><th>Element</th><th>Asked for by</th><th>Status</th><th>In this report</th></tr></thead><tbody>")
            for row in map {
                h.add("<tr class=\"evidence-\(row.status)\"><td>\(x(row.element))</td><td>\(x(row.standards))</td><td class=\"\(row.status == "present" ? "met" : "missed")\"><strong>\(x(row.status))</strong></td><td>\(x(row.detail))</td></tr>")
            }
            h.add("</tbody></table></section>")
        }
    }

    /// The seal and signature lines of the evidence section.
    static func integrity(_ r: RunReport, _ h: inout Page) {
        guard let seal = r.journal.seal else { return }
        let sealed = r.journal.integrity == "sealed"
        h.add("<p>Seal: <strong id=\"journal-seal\" class=\"\(sealed ? "met" : "missed")\">\(x(seal))</strong>. Signature: <strong id=\"journal-signing\">\(x(r.journal.signing ?? "unsigned"))</strong>.</p>")
        if let details = r.journal.integrityDetails, !details.isEmpty {
            h.add("<ul>" + details.map { "<li>\(x($0))</li>" }.joined() + "</ul>")
        }
    }
}
