import FiredrillCore

/// `report.md`: the run for people, auditor summary first. All text from the journal is escaped, so a step name
/// or output containing Markdown or HTML is shown as written and never interpreted.
public enum MarkdownReport {
    public static func render(_ r: RunReport) -> String {
        var w = Writer(day: ReportLabels.singleDay(r))
        w.line("# \(t(ReportLabels.heading(r)))")
        w.line()
        w.line("> **Verdict: \(t(ReportLabels.ending(r)))** — \(t(r.reason))")
        w.line()
        auditorSummary(r, &w)
        runRecord(r, &w)
        if let rto = r.drill?.rto { recoveryTimeline(rto, &w) }
        if let drill = r.drill, drill.rpo != nil || drill.heartbeat != nil { dataLoss(drill, &w) }
        phases(r, &w)
        steps(r, &w)
        breachesAndDeviations(r, &w)
        effectChecks(r, &w)
        operatorSteps(r, &w)
        trafficTotals(r, &w)
        rollbacksAndFailback(r, &w)
        probes(r, &w)
        notes(r, &w)
        actionItems(r, &w)
        signOff(r, &w)
        records(r, &w)
        evidence(r, &w)
        return w.text
    }

    /// Markdown-escaped text.
    static func t(_ s: String) -> String { ReportText.markdown(s) }

    static func auditorSummary(_ r: RunReport, _ w: inout Writer) {
        w.line("## Auditor summary")
        w.line()
        w.line("| | |")
        w.line("|---|---|")
        w.row("Plan", "\(t(r.plan)) (\(t(r.file)))")
        w.row("Plan SHA-256", "`\(r.sha256)`" + (r.gitCommit.map { " · git commit `\($0)`" } ?? "") + " — \(t(ReportLabels.planCopy(r)))")
        w.row("Initiator", t(r.initiator))
        w.row("Environment", t(r.environment))
        if let by = r.productionAllowedBy { w.row("Production gate", "passed with `--allow-production` by \(t(by))") }
        w.row("Participants", r.participants.isEmpty ? "—" : r.participants.map(t).joined(separator: ", "))
        w.row("Started", ReportText.time(r.started))
        w.row("Ended", ReportText.time(r.ended) + (r.seconds.map { " (\(ReportText.seconds($0)))" } ?? ""))
        w.row("Ending", "**\(t(ReportLabels.ending(r)))** — \(t(r.reason))")
        w.row("Rollback", t(ReportLabels.rollback(r)))
        w.row("Journal", "\(t(ReportLabels.journal(r))); head `\(r.journal.head)`")
        w.line()
        w.line("### Scope and scenario")
        w.line()
        w.line("**\(t(r.title.isEmpty ? r.plan : r.title))** (\(t(r.kind)), environment \(t(r.environment)))")
        if let d = r.description {
            w.line()
            for block in DescriptionBlock.parse(d) {
                switch block {
                case .paragraph(let text):
                    w.line(t(text))
                case .list(let ordered, let items):
                    for (n, item) in items.enumerated() { w.line((ordered ? "\(n + 1). " : "- ") + t(item)) }
                }
                w.line()
            }
        } else {
            w.line()
        }
        w.line("### Objectives vs achieved")
        w.line()
        if r.objectives.isEmpty {
            w.line("No objectives were measured.")
        } else {
            w.line("| Objective | Target | Achieved | Verdict | Detail |")
            w.line("|---|---|---|---|---|")
            for o in r.objectives {
                w.line("| \(t(o.name)) | \(t(ReportLabels.objective(o))) | \(t(ReportLabels.achieved(o))) | **\(o.verdict)** | \(t(o.detail)) |")
            }
        }
        w.line()
        w.line("Action items: \(r.actionItems.count) (listed under *Action items* below). Deviations: \(r.deviations.count). Guard breaches: \(r.guardBreaches.count).")
        w.line()
    }

    static func recoveryTimeline(_ rto: RunReport.RTO, _ w: inout Writer) {
        w.line("## Recovery timeline")
        w.line()
        w.line("**\(t(RunReport.RTO.definitionText))**: from the journaled start of the first disaster step to the first of \(rto.consecutive.map(String.init) ?? "N") consecutive passes of the `recovered` probe. Detection and repair are shown as separate spans.")
        w.line()
        w.line("| Instant | Wall time (UTC) | Offset from injected |")
        w.line("|---|---|---|")
        for (_, label, mark) in ReportLabels.instants(rto) {
            w.line("| \(label) | \(w.time(mark?.time)) | \(ReportText.offset(mark?.offsetSeconds)) |")
        }
        w.line()
        w.line("| Span | Duration |")
        w.line("|---|---|")
        w.line("| Detection (detected − injected) | \(ReportText.seconds(rto.detectionSeconds)) |")
        w.line("| Repair (stable − detected) | \(ReportText.seconds(rto.repairSeconds)) |")
        w.line("| **RTO** (stable − injected) | **\(ReportText.seconds(rto.seconds))** |")
        w.line("| Objective | \(rto.objectiveSeconds.map { "≤ " + ReportText.seconds($0) } ?? "not set") |")
        w.line("| Verdict | **\(rto.verdict)** |")
        if let reason = rto.reason { w.line(); w.line("Not measured: \(t(reason)).") }
        if rto.outageDetected == false {
            w.line()
            w.line("No execution of `recovered` failed: the outage was not observed, so detection and repair are not defined.")
        }
        w.line()
    }

    static func dataLoss(_ drill: RunReport.DrillMeasurements, _ w: inout Writer) {
        w.line("## Data loss (RPO)")
        w.line()
        w.line("| | |")
        w.line("|---|---|")
        if let rpo = drill.rpo {
            w.row("Measured by", t(rpo.mode ?? "—"))
            w.row("RPO", "**\(ReportLabels.rpoFigure(rpo))**")
            if let wal = rpo.wal { w.row("WAL lost", t(wal)) }
            w.row("Markers lost", rpo.markersLost.map(String.init) ?? "—")
            w.row("Objective", rpo.objectiveSeconds.map { "≤ " + ReportText.seconds($0) } ?? "not set")
            w.row("Verdict", "**\(rpo.verdict)**")
            if let s = rpo.summary { w.row("Summary", t(s)) }
            if let e = rpo.error { w.row("Error", t(e)) }
        }
        if let hb = drill.heartbeat {
            w.row("Heartbeat", "table \(t(hb.table ?? "—")) every \(ReportText.seconds(hb.everySeconds)): \(hb.attempted.map(String.init) ?? "—") written, \(hb.acknowledged.map(String.init) ?? "—") acknowledged, \(hb.failed.map(String.init) ?? "—") failed")
        }
        w.line()
    }

    static func phases(_ r: RunReport, _ w: inout Writer) {
        guard !r.phases.isEmpty else { return }
        w.line("## Phases")
        w.line()
        w.note()
        w.line("| Phase | Start | End | Duration |")
        w.line("|---|---|---|---|")
        for p in r.phases {
            w.line("| \(t(p.name)) | \(w.time(p.start.time)) | \(w.time(p.end?.time)) | \(ReportText.seconds(p.seconds)) |")
        }
        w.line()
    }

    static func steps(_ r: RunReport, _ w: inout Writer) {
        w.line("## Steps")
        w.line()
        guard !r.steps.isEmpty else { w.line("No step ran."); w.line(); return }
        w.note()
        w.line("| # | Step | Phase | Kind | Start | End | Duration | Status | Output |")
        w.line("|---|---|---|---|---|---|---|---|---|")
        for (i, s) in r.steps.enumerated() {
            w.line("| \(i + 1) | \(t(s.name)) | \(t(s.phase)) | \(t(s.kind)) | \(w.time(s.start.time)) | \(w.time(s.end?.time)) | \(ReportText.seconds(s.seconds)) | \(ReportLabels.status(s.status)) | \(t(ReportLabels.stepOutput(s))) |")
        }
        w.line()
    }

    static func breachesAndDeviations(_ r: RunReport, _ w: inout Writer) {
        w.line("## Guard breaches and deviations")
        w.line()
        if r.guardBreaches.isEmpty {
            w.line("No guard breached.")
        } else {
            w.line("| Time | Guard | Consecutive failures | Message | Expected |")
            w.line("|---|---|---|---|---|")
            for b in r.guardBreaches {
                w.line("| \(w.time(b.at.time)) | \(t(b.guardName)) | \(b.failures.map(String.init) ?? "—") | \(t(ReportText.excerpt(b.message))) | \(t(b.expected ?? "—")) |")
            }
        }
        w.line()
        if r.deviations.isEmpty {
            w.line("No deviation from the plan's expectations.")
        } else {
            w.line("| Time | Kind | Subject | What |")
            w.line("|---|---|---|---|")
            for d in r.deviations {
                w.line("| \(w.time(d.at?.time)) | \(t(d.kind)) | \(t(d.subject)) | \(t(ReportText.excerpt(d.message, limit: 400))) |")
            }
        }
        w.line()
    }

    /// An experiment's `effect` checks: did each see the fault while the method ran.
    static func effectChecks(_ r: RunReport, _ w: inout Writer) {
        guard !r.effects.isEmpty else { return }
        w.line("## Effect checks")
        w.line()
        w.line("Each `effect` probe must see the fault at least once while the method runs; one that never does makes a run that would pass INCONCLUSIVE.")
        w.line()
        w.line("| Effect check | Saw the fault | Time | Observation (when seen) or last result |")
        w.line("|---|---|---|---|")
        for e in r.effects {
            let what = e.status == "seen" ? e.observed.map { $0.canonicalJSON() } ?? e.message : e.message
            w.line("| \(t(e.probe)) | **\(t(e.status))** | \(w.time(e.at?.time)) | \(t(ReportText.excerpt(what))) |")
        }
        w.line()
    }

    /// `manual` steps: what was asked, and who answered what, when.
    static func operatorSteps(_ r: RunReport, _ w: inout Writer) {
        guard let rows = r.operatorSteps, !rows.isEmpty else { return }
        w.line("## Operator steps")
        w.line()
        w.line("| Step | Asked | Prompt | For | Answer | Operator | Comment | Answered at | Via | Waited |")
        w.line("|---|---|---|---|---|---|---|---|---|---|")
        for o in rows {
            w.line("| \(t(o.step)) | \(w.time(o.askedAt.time)) | \(t(ReportText.excerpt(o.prompt))) | \(t(o.who ?? "—")) | **\(t(o.answer))** | \(t(o.operator ?? "—")) | \(t(o.comment.map { ReportText.excerpt($0) } ?? "—")) | \(t(o.answeredAt ?? "—")) | \(t(o.via ?? "—")) | \(ReportText.seconds(o.waitedSeconds)) |")
        }
        w.line()
    }

    /// Traffic streams over their whole life: one availability figure for the fault window.
    static func trafficTotals(_ r: RunReport, _ w: inout Writer) {
        guard let totals = r.trafficTotals, !totals.isEmpty else { return }
        w.line("## Availability over the whole window")
        w.line()
        w.line("Every request of each traffic stream, from its first guard (or `recovered`) check to the end of its watch: the fault window as a whole, repetitions included, not window by window.")
        w.line()
        w.line("| Probe | Role | Ended | Span | Requests | Success | p95 | p99 | Max |")
        w.line("|---|---|---|---|---|---|---|---|---|")
        for x in totals {
            w.line("| \(t(x.probe)) | \(t(x.role)) | \(w.time(x.end.time)) | \(ReportText.seconds(x.seconds)) | \(x.requests.map(String.init) ?? "—") | \(x.success.map { ReportText.percent($0) } ?? "—") | \(ReportText.seconds(x.p95)) | \(ReportText.seconds(x.p99)) | \(ReportText.seconds(x.max)) |")
        }
        w.line()
    }

    static func rollbacksAndFailback(_ r: RunReport, _ w: inout Writer) {
        w.line("## Rollbacks and failback")
        w.line()
        if let f = r.failback {
            w.line("### Failback")
            w.line()
            w.line("Started \(w.time(f.start.time)); steps: \(f.steps.isEmpty ? "none" : f.steps.map { t($0) + (f.failedSteps.contains($0) ? " (FAILED)" : "") }.joined(separator: ", ")).")
            w.line()
            switch f.verified {
            case true?: w.line("Verification: **verified** — the steady state held after failback (\(w.time(f.verifiedAt?.time))).")
            case false?: w.line("Verification: **NOT verified** — \(t(f.verificationFailures.joined(separator: "; "))).")
            case nil: w.line("Verification: not checked (the plan has no steady state).")
            }
            w.line()
        }
        w.line("### Rollbacks")
        w.line()
        w.line("Outcome: \(t(ReportLabels.rollback(r))).")
        w.line()
        if !r.rollbacks.isEmpty {
            w.line("| Start | Action | What | Duration | Status | Detail |")
            w.line("|---|---|---|---|---|---|")
            for b in r.rollbacks {
                let who = b.byRecover ? " (by `firedrill recover`)" : ""
                w.line("| \(w.time(b.start.time)) | \(t(b.name))\(who) | \(t(b.description)) | \(ReportText.seconds(b.seconds)) | \(ReportLabels.status(b.status)) | \(t(ReportText.excerpt(b.detail))) |")
            }
            w.line()
        }
        if !r.undos.isEmpty {
            w.line("Undo ledger (each undo is journaled before its fault takes effect):")
            w.line()
            w.line("| # | Step | Undo | Recorded | Status | Closed | How |")
            w.line("|---|---|---|---|---|---|---|")
            for u in r.undos {
                w.line("| \(u.id) | \(t(u.step)) | \(t(u.description)) | \(w.time(u.recorded.time)) | \(u.status == "done" || u.status == "not owed" ? u.status : u.status.uppercased()) | \(w.time(u.closed?.time)) | \(t(ReportText.excerpt(u.how ?? ""))) |")
            }
            w.line()
        }
        if let c = r.recoveryCheck {
            w.line("Steady state after the rollbacks (\(w.time(c.at.time))): " + (c.recovered ? "**holds**." : "**NOT restored** — \(t(c.failures.joined(separator: "; ")))."))
            w.line()
        }
        for s in r.recoverSessions {
            w.line("`firedrill recover` by \(t(s.runOperator ?? s.initiator)) at \(w.time(s.start.time)): \(s.pendingUndos) owed undos, \(s.failures.map { "\($0) failures" } ?? "did not finish").")
            w.line()
        }
    }

    static func probes(_ r: RunReport, _ w: inout Writer) {
        guard !r.probes.isEmpty else { return }
        w.line("## Probes")
        w.line()
        w.line("\(r.timeline.count) probe results in all; every one is in `report.json` (`timeline`) and charted in `report.html`.")
        w.line()
        w.line("| Probe | Role | Executions | Failures | Values | Last result |")
        w.line("|---|---|---|---|---|---|")
        for p in r.probes {
            w.line("| \(t(p.probe)) | \(t(p.role)) | \(p.executions) | \(p.failures) | \(t(ReportLabels.probeValues(p))) | \(p.lastPassed ? "pass" : "FAIL"): \(t(ReportText.excerpt(p.lastMessage, limit: 160))) |")
        }
        w.line()
    }

    static func notes(_ r: RunReport, _ w: inout Writer) {
        w.line("## Operator notes")
        w.line()
        if r.notes.isEmpty { w.line("None recorded.") }
        for n in r.notes { w.line("- \(t(n))") }
        w.line()
    }

    static func actionItems(_ r: RunReport, _ w: inout Writer) {
        w.line("## Action items")
        w.line()
        if r.actionItems.isEmpty { w.line(t(r.noActionItemsText)) }
        for a in r.actionItems {
            w.line("- [ ] **\(a.id)** (\(t(a.kind)), \(t(a.subject))\(a.at.map { ", " + w.time($0.time) } ?? "")): \(t(a.text)) Owner: ________ Due: ________")
        }
        w.line()
    }

    static func signOff(_ r: RunReport, _ w: inout Writer) {
        w.line("## Sign-off")
        w.line()
        w.line("| Role | Name | Signature | Date |")
        w.line("|---|---|---|---|")
        for s in r.signOff {
            w.line("| \(s.role) | \(s.name.map(t) ?? "&nbsp;") | &nbsp; | \(s.date.map(t) ?? "&nbsp;") |")
        }
        w.line()
        w.line("By signing, the reviewer confirms the journal head below matches `firedrill verify` on the archived run directory.")
        w.line()
    }

    static func evidence(_ r: RunReport, _ w: inout Writer) {
        w.line("## Evidence: the journal")
        w.line()
        w.line("Head of the hash chain: `\(r.journal.head)` (\(r.journal.events) events, last at \(ReportText.time(r.journal.lastTime))). Chain check: " + (r.journal.valid ? "**intact**." : "**BROKEN** — \(t(r.journal.problem ?? ""))."))
        w.line()
        integrity(r, &w)
        w.line(ReportLabels.verifyIntro)
        w.line()
        w.line("```sh")
        for h in r.journal.howToVerify { w.line(h) }
        w.line("```")
        w.line()
        w.line("The report is derived only from the journal (and the description from `plan.yaml` when its SHA-256 matches); re-render it at any time with `firedrill report <run directory>`.")
        w.line()
    }

    /// Accumulates lines and shows times in the run's one-day form when possible.
    struct Writer {
        let day: String?
        var lines: [String] = []

        mutating func line(_ s: String = "") { lines.append(s) }
        mutating func row(_ key: String, _ value: String) { lines.append("| \(key) | \(value) |") }
        /// States the day the tables' times are on.
        mutating func note() {
            if let day { line("Times are UTC on \(day)."); line() }
        }
        func time(_ t: String?) -> String { ReportText.time(t, timeOnly: day != nil) }
        var text: String { lines.joined(separator: "\n") }
    }
}
