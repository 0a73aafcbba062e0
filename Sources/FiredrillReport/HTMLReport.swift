import FiredrillCore

/// `report.html`: one self-contained page (inline CSS, inline SVG, no script, no external asset) with the same
/// auditor content as the Markdown report plus charts: each probe's results over time with the fault window
/// shaded and the drill instants marked, and RTO/RPO against their objectives. Every text from the journal is
/// HTML-escaped. Stable ids and classes (`rto-value`, `rpo-value`, `probe-chart`…) let tests and tools find parts.
public enum HTMLReport {
    public static func render(_ r: RunReport) -> String {
        var h = Page(day: ReportLabels.singleDay(r))
        let title = ReportLabels.heading(r)
        h.add("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        h.add("<meta name=\"generator\" content=\"firedrill\">\n<meta name=\"firedrill-report-schema\" content=\"\(RunReport.schemaVersion)\">")
        h.add("<title>\(x(title))</title>\n<style>\n\(HTMLStyle.css)\n</style>\n</head>\n<body>\n<main>")
        h.add("<header><h1 id=\"report-title\">\(x(title))</h1>")
        let endingClass = "verdict-" + ReportText.slug(r.ending)
        h.add("<div class=\"verdict-banner \(endingClass)\" id=\"verdict\"><strong>\(x(ReportLabels.ending(r)))</strong><span>\(x(r.reason))</span></div></header>")
        auditorSummary(r, &h)
        runRecord(r, &h)
        if let rto = r.drill?.rto { recoveryTimeline(rto, &h) }
        if let drill = r.drill, drill.rpo != nil || drill.heartbeat != nil { dataLoss(drill, &h) }
        charts(r, &h)
        phases(r, &h)
        steps(r, &h)
        breachesAndDeviations(r, &h)
        effectChecks(r, &h)
        operatorSteps(r, &h)
        trafficTotals(r, &h)
        rollbacksAndFailback(r, &h)
        probes(r, &h)
        notes(r, &h)
        actionItems(r, &h)
        signOff(r, &h)
        records(r, &h)
        evidence(r, &h)
        h.add("<footer>Rendered by firedrill from <code>journal.jsonl</code> (report schema \(RunReport.schemaVersion)). Re-render with <code>firedrill report &lt;run directory&gt;</code>.</footer>")
        h.add("</main>\n</body>\n</html>\n")
        return h.text
    }

    static func x(_ s: String) -> String { ReportText.html(s) }

    static func badge(_ verdict: String, id: String? = nil) -> String {
        let c = ReportLabels.verdictClass(verdict)
        return "<span class=\"badge \(c)\"\(id.map { " id=\"\($0)\"" } ?? "")>\(x(verdict))</span>"
    }

    static func statusCell(_ status: String) -> String {
        "<td class=\"status-\(ReportText.slug(status))\">\(x(ReportLabels.status(status)))</td>"
    }

    static func auditorSummary(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"auditor-summary\"><h2>Auditor summary</h2>")
        h.add("<table class=\"facts\"><tbody>")
        h.fact("Plan", "<code>\(x(r.plan))</code> <span class=\"muted\">(\(x(r.file)))</span>")
        h.fact("Plan SHA-256", "<code class=\"hash\" id=\"plan-sha256\">\(x(r.sha256))</code>" + (r.gitCommit.map { "<br>git commit <code class=\"hash\">\(x($0))</code>" } ?? "") + "<br><span class=\"muted\">\(x(ReportLabels.planCopy(r)))</span>")
        h.fact("Initiator", "<span id=\"initiator\">\(x(r.initiator))</span>")
        h.fact("Environment", "<span id=\"environment\">\(x(r.environment))</span>")
        if let by = r.productionAllowedBy { h.fact("Production gate", "<span id=\"allow-production\">passed with <code>--allow-production</code> by \(x(by))</span>") }
        h.fact("Participants", r.participants.isEmpty ? "—" : x(r.participants.joined(separator: ", ")))
        h.fact("Started", x(ReportText.time(r.started)))
        h.fact("Ended", x(ReportText.time(r.ended)) + (r.seconds.map { " (\(x(ReportText.seconds($0))))" } ?? ""))
        h.fact("Ending", "<strong>\(x(ReportLabels.ending(r)))</strong> — \(x(r.reason))")
        h.fact("Rollback", x(ReportLabels.rollback(r)))
        h.fact("Journal", x(ReportLabels.journal(r)) + "; head <code class=\"hash\" id=\"journal-head-summary\">\(x(r.journal.head))</code>")
        h.add("</tbody></table>")
        h.add("<h3>Scope and scenario</h3>")
        h.add("<p><strong>\(x(r.title.isEmpty ? r.plan : r.title))</strong> <span class=\"muted\">(\(x(r.kind)), environment \(x(r.environment)))</span></p>")
        if let d = r.description {
            h.add("<div id=\"description\">")
            for block in DescriptionBlock.parse(d) {
                switch block {
                case .paragraph(let text):
                    h.add("<p>\(x(text))</p>")
                case .list(let ordered, let items):
                    let tag = ordered ? "ol" : "ul"
                    h.add("<\(tag)>" + items.map { "<li>\(x($0))</li>" }.joined() + "</\(tag)>")
                }
            }
            h.add("</div>")
        }
        h.add("<h3>Objectives vs achieved</h3>")
        if let drill = r.drill, drill.rto != nil || drill.rpo != nil {
            h.add("<div class=\"cards\">")
            if let rto = drill.rto {
                h.add("<div class=\"card\"><div class=\"label\">RTO (stable − injected)</div><div class=\"big\" id=\"rto-value\">\(x(ReportText.seconds(rto.seconds)))</div><div>objective \(x(rto.objectiveSeconds.map { "≤ " + ReportText.seconds($0) } ?? "not set")) \(badge(rto.verdict, id: "rto-verdict"))</div></div>")
            }
            if let rpo = drill.rpo {
                h.add("<div class=\"card\"><div class=\"label\">RPO (\(x(rpo.mode ?? "data loss")))</div><div class=\"big\" id=\"rpo-value\">\(x(ReportLabels.rpoFigure(rpo)))</div><div>objective \(x(rpo.objectiveSeconds.map { "≤ " + ReportText.seconds($0) } ?? "not set")) \(badge(rpo.verdict, id: "rpo-verdict"))</div></div>")
            }
            h.add("</div>")
        }
        if r.objectives.isEmpty {
            h.add("<p>No objectives were measured.</p>")
        } else {
            h.add("<table id=\"objectives\"><thead><tr><th>Objective</th><th>Target</th><th>Achieved</th><th>Verdict</th><th>Detail</th></tr></thead><tbody>")
            for o in r.objectives {
                h.add("<tr id=\"objective-\(ReportText.slug(o.name))\"><td>\(x(o.name))</td><td>\(x(ReportLabels.objective(o)))</td><td class=\"num\">\(x(ReportLabels.achieved(o)))</td><td>\(badge(o.verdict))</td><td>\(x(o.detail))</td></tr>")
            }
            h.add("</tbody></table>")
        }
        if let chart = ObjectiveChart(r).svg() {
            h.add("<figure id=\"objective-chart\"><figcaption><strong>Achieved against objectives.</strong> Dashed line: the objective. The RTO bar is split into detection (detected − injected) and repair (stable − detected).</figcaption>\(chart)</figure>")
        }
        h.add("<p>Action items: <strong id=\"action-item-count\">\(r.actionItems.count)</strong> (see <a href=\"#action-items\">Action items</a>). Deviations: \(r.deviations.count). Guard breaches: \(r.guardBreaches.count).</p>")
        h.add("</section>")
    }

    static func recoveryTimeline(_ rto: RunReport.RTO, _ h: inout Page) {
        h.add("<section id=\"recovery-timeline\"><h2>Recovery timeline</h2>")
        h.add("<p><strong id=\"rto-definition\">\(x(RunReport.RTO.definitionText))</strong>: from the journaled start of the first disaster step to the first of \(rto.consecutive.map(String.init) ?? "N") consecutive passes of the <code>recovered</code> probe. Detection and repair are separate spans.</p>")
        h.add("<table><thead><tr><th>Instant</th><th>Wall time (UTC)</th><th>Offset from injected</th></tr></thead><tbody>")
        for (id, label, mark) in ReportLabels.instants(rto) {
            h.add("<tr id=\"instant-\(id)\"><td>\(x(label))</td><td class=\"time\">\(x(ReportText.time(mark?.time)))</td><td class=\"num\">\(x(ReportText.offset(mark?.offsetSeconds)))</td></tr>")
        }
        h.add("</tbody></table>")
        h.add("<table><thead><tr><th>Span</th><th>Duration</th></tr></thead><tbody>")
        h.add("<tr><td>Detection (detected − injected)</td><td class=\"num\" id=\"detection-value\">\(x(ReportText.seconds(rto.detectionSeconds)))</td></tr>")
        h.add("<tr><td>Repair (stable − detected)</td><td class=\"num\" id=\"repair-value\">\(x(ReportText.seconds(rto.repairSeconds)))</td></tr>")
        h.add("<tr><td><strong>RTO</strong> (stable − injected)</td><td class=\"num\"><strong>\(x(ReportText.seconds(rto.seconds)))</strong></td></tr>")
        h.add("<tr><td>Objective</td><td class=\"num\">\(x(rto.objectiveSeconds.map { "≤ " + ReportText.seconds($0) } ?? "not set"))</td></tr>")
        h.add("<tr><td>Verdict</td><td class=\"num\">\(badge(rto.verdict))</td></tr>")
        h.add("</tbody></table>")
        if let reason = rto.reason { h.add("<p>Not measured: \(x(reason)).</p>") }
        if rto.outageDetected == false {
            h.add("<p class=\"muted\">No execution of <code>recovered</code> failed: the outage was not observed, so detection and repair are not defined.</p>")
        }
        h.add("</section>")
    }

    static func dataLoss(_ drill: RunReport.DrillMeasurements, _ h: inout Page) {
        h.add("<section id=\"data-loss\"><h2>Data loss (RPO)</h2><table class=\"facts\"><tbody>")
        if let rpo = drill.rpo {
            h.fact("Measured by", x(rpo.mode ?? "—"))
            h.fact("RPO", "<strong>\(x(ReportLabels.rpoFigure(rpo)))</strong>")
            if let wal = rpo.wal { h.fact("WAL lost", x(wal)) }
            h.fact("Markers lost", "<span id=\"markers-lost\">\(rpo.markersLost.map(String.init) ?? "—")</span>")
            h.fact("Objective", x(rpo.objectiveSeconds.map { "≤ " + ReportText.seconds($0) } ?? "not set"))
            h.fact("Verdict", badge(rpo.verdict))
            if let s = rpo.summary { h.fact("Summary", x(s)) }
            if let e = rpo.error { h.fact("Error", x(e)) }
        }
        if let hb = drill.heartbeat {
            h.fact("Heartbeat", "table <code>\(x(hb.table ?? "—"))</code> every \(x(ReportText.seconds(hb.everySeconds))): \(hb.attempted.map(String.init) ?? "—") written, \(hb.acknowledged.map(String.init) ?? "—") acknowledged, \(hb.failed.map(String.init) ?? "—") failed")
        }
        h.add("</tbody></table></section>")
    }

    static func charts(_ r: RunReport, _ h: inout Page) {
        let names = r.timeline.probeNames
        guard !names.isEmpty else { return }
        var upper = max(r.seconds ?? 0, r.phases.compactMap { $0.end?.mono }.max() ?? 0)
        var lower = 0.0
        for s in r.timeline.series where s.count > 0 {
            upper = max(upper, s.mono[s.count - 1])
            lower = min(lower, s.mono[0])
        }
        if upper <= lower { upper = lower + 1 }
        let domain = lower...upper
        var marks: [ProbeChart.Mark] = []
        let injected = r.drill?.rto?.injected
        if let rto = r.drill?.rto {
            let named: [(String, String, RunReport.Mark?)] = [("injected", "injected", rto.injected), ("detected", "detected", rto.detected),
                                                              ("first-healthy", "first healthy", rto.firstHealthy), ("stable", "stable", rto.stable)]
            for (id, label, m) in named { if let m { marks.append(ProbeChart.Mark(id: id, label: label, mono: m.mono)) } }
        }
        for b in r.guardBreaches { marks.append(ProbeChart.Mark(id: "breach", label: "breach: \(b.guardName)", mono: b.at.mono)) }
        let origin = injected?.mono ?? 0
        let originName = injected != nil ? "the disaster injection" : "the start of the run"
        h.add("<section id=\"probe-charts\"><h2>Probe results over time</h2>")
        h.add("<p class=\"legend\"><span><i class=\"swatch\" style=\"background:#f5b8b0\"></i>fault window (\(x(r.faultWindow?.label ?? "none")))</span><span><i class=\"swatch\" style=\"background:#2456a6\"></i>value (latency)</span><span><i class=\"swatch\" style=\"background:#2f9e58\"></i>pass</span><span><i class=\"swatch\" style=\"background:#c62f22\"></i>failure (runs of consecutive failures as bars)</span><span>dashed lines: drill instants and guard breaches</span><span>time axis: since \(x(originName))</span></p>")
        var used = Set<String>()
        for name in names {
            var id = ReportText.slug(name)
            var n = 2
            while !used.insert(id).inserted { id = ReportText.slug(name) + "-\(n)"; n += 1 }
            let chart = ProbeChart(probe: name, timeline: r.timeline, domain: domain, window: r.faultWindow, marks: marks,
                                   origin: origin, originName: originName)
            let (svg, sample) = chart.svg()
            let sampled = sample.shown < sample.total ? " Drawn with \(sample.shown) points (passes sampled per pixel column; every failure shown)." : ""
            h.add("<figure class=\"probe-chart\" id=\"probe-chart-\(id)\" data-probe=\"\(x(name))\"><figcaption><strong>\(x(name))</strong> — \(x(chart.roles.joined(separator: ", "))) · \(sample.total) results, \(sample.failures) failed\(chart.numeric ? " · \(x(chart.valueField ?? "")) over time" : " · pass/fail").\(sampled)</figcaption>\(svg)</figure>")
        }
        h.add("</section>")
    }

    static func phases(_ r: RunReport, _ h: inout Page) {
        guard !r.phases.isEmpty else { return }
        h.add("<section id=\"phases\"><h2>Phases</h2>")
        h.note()
        h.add("<table><thead><tr><th>Phase</th><th>Start</th><th>End</th><th>Duration</th></tr></thead><tbody>")
        for p in r.phases {
            h.add("<tr><td>\(x(p.name))</td><td class=\"time\">\(x(h.time(p.start.time)))</td><td class=\"time\">\(x(h.time(p.end?.time)))</td><td class=\"num\">\(x(ReportText.seconds(p.seconds)))</td></tr>")
        }
        h.add("</tbody></table></section>")
    }

    static func steps(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"steps\"><h2>Steps</h2>")
        guard !r.steps.isEmpty else { h.add("<p>No step ran.</p></section>"); return }
        h.note()
        h.add("<table><thead><tr><th>#</th><th>Step</th><th>Phase</th><th>Kind</th><th>Start</th><th>End</th><th>Duration</th><th>Status</th><th>Output</th></tr></thead><tbody>")
        for (i, s) in r.steps.enumerated() {
            h.add("<tr class=\"step\"><td class=\"num\">\(i + 1)</td><td>\(x(s.name))</td><td>\(x(s.phase))</td><td><code>\(x(s.kind))</code></td><td class=\"time\">\(x(h.time(s.start.time)))</td><td class=\"time\">\(x(h.time(s.end?.time)))</td><td class=\"num\">\(x(ReportText.seconds(s.seconds)))</td>\(statusCell(s.status))<td>\(x(ReportLabels.stepOutput(s)))</td></tr>")
        }
        h.add("</tbody></table></section>")
    }

    static func breachesAndDeviations(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"deviations\"><h2>Guard breaches and deviations</h2>")
        if r.guardBreaches.isEmpty {
            h.add("<p>No guard breached.</p>")
        } else {
            h.add("<table id=\"guard-breaches\"><thead><tr><th>Time</th><th>Guard</th><th>Consecutive failures</th><th>Message</th><th>Expected</th></tr></thead><tbody>")
            for b in r.guardBreaches {
                h.add("<tr><td class=\"time\">\(x(h.time(b.at.time)))</td><td>\(x(b.guardName))</td><td class=\"num\">\(b.failures.map(String.init) ?? "—")</td><td>\(x(ReportText.excerpt(b.message)))</td><td>\(x(b.expected ?? "—"))</td></tr>")
            }
            h.add("</tbody></table>")
        }
        if r.deviations.isEmpty {
            h.add("<p>No deviation from the plan's expectations.</p>")
        } else {
            h.add("<table id=\"deviation-list\"><thead><tr><th>Time</th><th>Kind</th><th>Subject</th><th>What</th></tr></thead><tbody>")
            for d in r.deviations {
                h.add("<tr><td class=\"time\">\(x(h.time(d.at?.time)))</td><td>\(x(d.kind))</td><td>\(x(d.subject))</td><td>\(x(ReportText.excerpt(d.message, limit: 400)))</td></tr>")
            }
            h.add("</tbody></table>")
        }
        h.add("</section>")
    }

    /// An experiment's `effect` checks: did each see the fault while the method ran.
    static func effectChecks(_ r: RunReport, _ h: inout Page) {
        guard !r.effects.isEmpty else { return }
        h.add("<section id=\"effect-checks\"><h2>Effect checks</h2>")
        h.add("<p>Each <code>effect</code> probe must see the fault at least once while the method runs; one that never does makes a run that would pass INCONCLUSIVE.</p>")
        h.add("<table id=\"effect-list\"><thead><tr><th>Effect check</th><th>Saw the fault</th><th>Time</th><th>Observation (when seen) or last result</th></tr></thead><tbody>")
        for e in r.effects {
            let what = e.status == "seen" ? e.observed.map { $0.canonicalJSON() } ?? e.message : e.message
            h.add("<tr class=\"effect-\(ReportText.slug(e.status))\"><td>\(x(e.probe))</td><td><strong>\(x(e.status))</strong></td><td class=\"time\">\(x(h.time(e.at?.time)))</td><td>\(x(ReportText.excerpt(what)))</td></tr>")
        }
        h.add("</tbody></table></section>")
    }

    /// `manual` steps: what was asked, and who answered what, when.
    static func operatorSteps(_ r: RunReport, _ h: inout Page) {
        guard let rows = r.operatorSteps, !rows.isEmpty else { return }
        h.add("<section id=\"operator-steps\"><h2>Operator steps</h2>")
        h.add("<table id=\"operator-list\"><thead><tr><th>Step</th><th>Asked</th><th>Prompt</th><th>For</th><th>Answer</th><th>Operator</th><th>Comment</th><th>Answered at</th><th>Via</th><th>Waited</th></tr></thead><tbody>")
        for o in rows {
            h.add("<tr class=\"operator-\(ReportText.slug(o.answer))\"><td>\(x(o.step))</td><td class=\"time\">\(x(h.time(o.askedAt.time)))</td><td>\(x(ReportText.excerpt(o.prompt)))</td><td>\(x(o.who ?? "—"))</td><td><strong>\(x(o.answer))</strong></td><td>\(x(o.operator ?? "—"))</td><td>\(x(o.comment.map { ReportText.excerpt($0) } ?? "—"))</td><td>\(x(o.answeredAt ?? "—"))</td><td>\(x(o.via ?? "—"))</td><td>\(x(ReportText.seconds(o.waitedSeconds)))</td></tr>")
        }
        h.add("</tbody></table></section>")
    }

    /// Traffic streams over their whole life: one availability figure for the fault window.
    static func trafficTotals(_ r: RunReport, _ h: inout Page) {
        guard let totals = r.trafficTotals, !totals.isEmpty else { return }
        h.add("<section id=\"traffic-totals\"><h2>Availability over the whole window</h2>")
        h.add("<p>Every request of each traffic stream, from its first guard (or <code>recovered</code>) check to the end of its watch: the fault window as a whole, repetitions included, not window by window.</p>")
        h.add("<table id=\"traffic-total-list\"><thead><tr><th>Probe</th><th>Role</th><th>Ended</th><th>Span</th><th>Requests</th><th>Success</th><th>p95</th><th>p99</th><th>Max</th></tr></thead><tbody>")
        for t in totals {
            h.add("<tr><td>\(x(t.probe))</td><td>\(x(t.role))</td><td class=\"time\">\(x(h.time(t.end.time)))</td><td>\(x(ReportText.seconds(t.seconds)))</td><td>\(t.requests.map(String.init) ?? "—")</td><td>\(x(t.success.map { ReportText.percent($0) } ?? "—"))</td><td>\(x(ReportText.seconds(t.p95)))</td><td>\(x(ReportText.seconds(t.p99)))</td><td>\(x(ReportText.seconds(t.max)))</td></tr>")
        }
        h.add("</tbody></table></section>")
    }

    static func rollbacksAndFailback(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"rollbacks\"><h2>Rollbacks and failback</h2>")
        if let f = r.failback {
            h.add("<h3>Failback</h3><p>Started \(x(h.time(f.start.time))); steps: \(f.steps.isEmpty ? "none" : f.steps.map { "<code>\(x($0))</code>" + (f.failedSteps.contains($0) ? " <span class=\"missed\">(FAILED)</span>" : "") }.joined(separator: ", ")).</p>")
            switch f.verified {
            case true?: h.add("<p id=\"failback-verification\">Verification: <span class=\"badge met\">VERIFIED</span> the steady state held after failback (\(x(h.time(f.verifiedAt?.time)))).</p>")
            case false?: h.add("<p id=\"failback-verification\">Verification: <span class=\"badge missed\">NOT VERIFIED</span> \(x(f.verificationFailures.joined(separator: "; "))).</p>")
            case nil: h.add("<p id=\"failback-verification\">Verification: not checked (the plan has no steady state).</p>")
            }
        }
        h.add("<h3>Rollbacks</h3><p>Outcome: <strong id=\"rollback-outcome\">\(x(ReportLabels.rollback(r)))</strong>.</p>")
        if !r.rollbacks.isEmpty {
            h.add("<table><thead><tr><th>Start</th><th>Action</th><th>What</th><th>Duration</th><th>Status</th><th>Detail</th></tr></thead><tbody>")
            for b in r.rollbacks {
                h.add("<tr><td class=\"time\">\(x(h.time(b.start.time)))</td><td>\(x(b.name))\(b.byRecover ? " <span class=\"muted\">(by firedrill recover)</span>" : "")</td><td>\(x(b.description))</td><td class=\"num\">\(x(ReportText.seconds(b.seconds)))</td>\(statusCell(b.status))<td>\(x(ReportText.excerpt(b.detail)))</td></tr>")
            }
            h.add("</tbody></table>")
        }
        if !r.undos.isEmpty {
            h.add("<p>Undo ledger (each undo is journaled before its fault takes effect):</p>")
            h.add("<table><thead><tr><th>#</th><th>Step</th><th>Undo</th><th>Recorded</th><th>Status</th><th>Closed</th><th>How</th></tr></thead><tbody>")
            for u in r.undos {
                h.add("<tr><td class=\"num\">\(u.id)</td><td>\(x(u.step))</td><td>\(x(u.description))</td><td class=\"time\">\(x(h.time(u.recorded.time)))</td>\(statusCell(u.status == "done" ? "ok" : u.status))<td class=\"time\">\(x(h.time(u.closed?.time)))</td><td>\(x(ReportText.excerpt(u.how ?? "")))</td></tr>")
            }
            h.add("</tbody></table>")
        }
        if let c = r.recoveryCheck {
            h.add("<p id=\"recovery-check\">Steady state after the rollbacks (\(x(h.time(c.at.time)))): " + (c.recovered ? "<span class=\"badge met\">HOLDS</span>" : "<span class=\"badge missed\">NOT RESTORED</span> \(x(c.failures.joined(separator: "; ")))") + "</p>")
        }
        for s in r.recoverSessions {
            h.add("<p><code>firedrill recover</code> by \(x(s.runOperator ?? s.initiator)) at \(x(h.time(s.start.time))): \(s.pendingUndos) owed undos, \(s.failures.map { "\($0) failures" } ?? "did not finish").</p>")
        }
        h.add("</section>")
    }

    static func probes(_ r: RunReport, _ h: inout Page) {
        guard !r.probes.isEmpty else { return }
        h.add("<section id=\"probes\"><h2>Probes</h2><p>\(r.timeline.count) probe results in all; every one is in <code>report.json</code> (<code>timeline</code>).</p>")
        h.add("<table><thead><tr><th>Probe</th><th>Role</th><th>Executions</th><th>Failures</th><th>Values</th><th>Last result</th></tr></thead><tbody>")
        for p in r.probes {
            h.add("<tr><td>\(x(p.probe))</td><td>\(x(p.role))</td><td class=\"num\">\(p.executions)</td><td class=\"num\">\(p.failures)</td><td>\(x(ReportLabels.probeValues(p)))</td><td><span class=\"\(p.lastPassed ? "met" : "missed")\">\(p.lastPassed ? "pass" : "FAIL")</span>: \(x(ReportText.excerpt(p.lastMessage, limit: 160)))</td></tr>")
        }
        h.add("</tbody></table></section>")
    }

    static func notes(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"notes\"><h2>Operator notes</h2>")
        if r.notes.isEmpty { h.add("<p>None recorded.</p>") } else {
            h.add("<ul>" + r.notes.map { "<li>\(x($0))</li>" }.joined() + "</ul>")
        }
        h.add("</section>")
    }

    static func actionItems(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"action-items\"><h2>Action items</h2>")
        if r.actionItems.isEmpty {
            h.add("<p>\(x(r.noActionItemsText))</p>")
        } else {
            h.add("<ul class=\"actions\">")
            for a in r.actionItems {
                h.add("<li class=\"action-item\" id=\"\(x(a.id.lowercased()))\"><strong>\(x(a.id))</strong> <span class=\"muted\">\(x(a.kind)) · \(x(a.subject))\(a.at.map { " · " + x(h.time($0.time)) } ?? "")</span><br>\(x(a.text))<br><span class=\"muted\">Owner: ____________ Due: ____________</span></li>")
            }
            h.add("</ul>")
        }
        h.add("</section>")
    }

    static func signOff(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"sign-off\"><h2>Sign-off</h2><table class=\"signoff\"><thead><tr><th>Role</th><th>Name</th><th>Signature</th><th>Date</th></tr></thead><tbody>")
        for s in r.signOff {
            h.add("<tr><td>\(x(s.role))</td><td>\(x(s.name ?? ""))</td><td></td><td>\(x(s.date ?? ""))</td></tr>")
        }
        h.add("</tbody></table><p class=\"muted\">By signing, the reviewer confirms the journal head below matches <code>firedrill verify</code> on the archived run directory.</p></section>")
    }

    static func evidence(_ r: RunReport, _ h: inout Page) {
        h.add("<section id=\"evidence\"><h2>Evidence: the journal</h2>")
        h.add("<p>Head of the hash chain: <code class=\"hash\" id=\"journal-head\">\(x(r.journal.head))</code> (\(r.journal.events) events, last at \(x(ReportText.time(r.journal.lastTime)))). Chain check: <strong id=\"journal-validity\" class=\"\(r.journal.valid ? "met" : "missed")\">\(r.journal.valid ? "intact" : "BROKEN — " + x(r.journal.problem ?? ""))</strong>.</p>")
        integrity(r, &h)
        h.add("<p>\(x(ReportLabels.verifyIntro))</p>")
        h.add("<pre>" + r.journal.howToVerify.map(x).joined(separator: "\n") + "</pre>")
        h.add("</section>")
    }

    /// Accumulates the page; shows times in the run's one-day form when possible.
    struct Page {
        let day: String?
        var parts: [String] = []

        mutating func add(_ s: String) { parts.append(s) }
        mutating func fact(_ key: String, _ valueHTML: String) { parts.append("<tr><th>\(key)</th><td>\(valueHTML)</td></tr>") }
        mutating func note() { if let day { add("<p class=\"muted\">Times are UTC on \(day).</p>") } }
        func time(_ t: String?) -> String { ReportText.time(t, timeOnly: day != nil) }
        var text: String { parts.joined(separator: "\n") }
    }
}
