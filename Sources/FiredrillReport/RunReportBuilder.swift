import FiredrillCore

/// Folds journal events, one at a time and in order, into a `RunReport`. Probe results go straight into the
/// columnar timeline and running aggregates, so the cost per event is small and constant.
struct RunReportBuilder: Sendable {
    typealias R = RunReport

    private var started: JournalEvent?
    private var endedEvent: JournalEvent?
    private var first: JournalEvent?
    private var last: JournalEvent?
    private var eventCount = 0
    /// Seal, checkpoints and signatures (`JournalAudit`).
    private var auditor = JournalAuditor()

    private var phases: [R.PhaseRow] = []
    private var steps: [R.StepRow] = []
    private var openSteps: [String: [Int]] = [:]
    private var stepRollback: [Int: Int] = [:]

    private var timeline = ProbeTimeline()
    private var seriesIndex: [String: [String: Int]] = [:]
    private var aggregates: [Aggregate] = []

    private var breaches: [R.GuardBreachRow] = []
    private var effects: [R.EffectRow] = []
    private var operatorSteps: [R.OperatorRow] = []
    private var trafficTotals: [R.TrafficTotalRow] = []
    private var deviations: [R.DeviationRow] = []
    private var items: [(mono: Double, item: R.ActionItem)] = []

    private var undos: [R.UndoRow] = []
    private var undoIndex: [Int: Int] = [:]
    private var rollbacks: [R.RollbackRow] = []
    private var undoRollback: [Int: Int] = [:]
    private var rollbacksSkipped: String?
    private var failback: R.FailbackRow?
    private var recoveryCheck: R.RecoveryCheckRow?
    private var recoverSessions: [R.RecoverRow] = []
    private var interruptedBy: String?

    private var injected: JournalEvent?
    private var detected: JournalEvent?
    private var firstHealthy: JournalEvent?
    private var stable: JournalEvent?
    private var rtoEvent: JournalEvent?
    private var rpoEvent: JournalEvent?
    private var heartbeatStarted: JournalEvent?
    private var heartbeatStopped: JournalEvent?
    private var planCopy: PlanCopy?
    private var runRecord: JournalEvent?
    private var bindingChecks: [R.BindingCheck] = []

    /// Running figures for one probe series.
    private struct Aggregate: Sendable {
        var executions = 0
        var failures = 0
        var first: R.Instant
        var last: R.Instant
        var lastPassed = false
        var lastMessage = ""
        var expected: String?
    }

    /// The plan SHA-256 `run.started` recorded.
    var planSHA256: String? { started?.data["sha256"]?.stringValue }

    private var inRecover: Bool { recoverSessions.last.map { $0.end == nil } ?? false }

    mutating func consume(_ e: JournalEvent) {
        eventCount += 1
        auditor.consume(e)
        if first == nil { first = e }
        last = e
        let at = R.Instant(time: e.time, mono: e.mono)
        switch e.eventType {
        case .probeResult: probeResult(e, at: at)
        case .runStarted: started = e
        case .runEnded: endedEvent = e
        case .runRecord: if runRecord == nil { runRecord = e }
        case .environmentChecked: bindingChecks.append(R.BindingCheck(e.data))
        case .phaseStarted: phaseStarted(PhaseStartedRecord(data: e.data).phase ?? "", at: at)
        case .stepStarted: stepStarted(e, at: at)
        case .stepEnded: stepEnded(e, at: at)
        case .guardBreached: guardBreached(e, at: at)
        case .effectSeen, .effectNotSeen: effectJudged(e, at: at)
        case .limitExceeded:
            let what = e.data["limit"]?.stringValue ?? "a limit was exceeded"
            deviations.append(R.DeviationRow(kind: "limit-exceeded", at: at, subject: "limits", message: what))
            item("limit-exceeded", "limits", "The run exceeded a limit and was aborted (\(what)); find out why before the next run.", at)
        case .runInterrupted:
            interruptedBy = e.data["signal"]?.stringValue
            deviations.append(R.DeviationRow(kind: "interrupted", at: at, subject: "run", message: "interrupted by \(interruptedBy ?? "a signal")"))
        case .undoIntent: undoIntent(e, at: at)
        case .undoStarted: undoStarted(e, at: at)
        case .undoDone, .undoFailed: undoClosed(e, at: at)
        case .rollbacksSkipped:
            rollbacksSkipped = e.data["reason"]?.stringValue ?? e.data["policy"]?.stringValue.map { "rollback policy \($0)" } ?? "skipped"
        case .failbackVerified:
            failback?.verified = e.data["ok"]?.boolValue
            failback?.verificationFailures = Self.strings(e.data["failures"])
            failback?.verifiedAt = at
            if e.data["ok"]?.boolValue == false {
                let why = Self.strings(e.data["failures"]).joined(separator: "; ")
                deviations.append(R.DeviationRow(kind: "failback", at: at, subject: "failback", message: "steady state not met after failback: \(why)"))
                item("failback-unverified", "failback", "The steady state did not hold after failback (\(why)); confirm service on the original site.", at)
            }
        case .recoveryChecked:
            let ok = e.data["recovered"]?.boolValue ?? false
            recoveryCheck = R.RecoveryCheckRow(at: at, recovered: ok, failures: Self.strings(e.data["failures"]))
            if !ok {
                let why = Self.strings(e.data["failures"]).joined(separator: "; ")
                deviations.append(R.DeviationRow(kind: "not-restored", at: at, subject: "steady state", message: "steady state not restored after rollback: \(why)"))
                item("not-restored", "steady state", "The steady state was not restored after the rollbacks (\(why)); restore service by hand and confirm.", at)
            }
        case .recoverStarted:
            phaseStarted("recover", at: at)
            recoverSessions.append(R.RecoverRow(start: at, end: nil, initiator: e.data["initiator"]?.stringValue ?? "",
                                                pendingUndos: e.data["pending-undos"]?.intValue ?? 0, failures: nil,
                                                runOperator: RunOperator(json: e.data["operator"])?.summary))
        case .recoverEnded:
            if let i = recoverSessions.indices.last {
                recoverSessions[i].end = at
                recoverSessions[i].failures = e.data["failures"]?.intValue
            }
            closePhase(at: at)
        case .drillInjected: injected = e
        case .drillDetected: detected = e
        case .drillFirstHealthy: firstHealthy = e
        case .drillStable: stable = e
        case .rtoMeasured: rtoEvent = e
        case .rpoMeasured: rpoEvent = e
        case .heartbeatStarted: heartbeatStarted = e
        case .heartbeatStopped: heartbeatStopped = e
        case .manualWaiting: operatorSteps.append(Self.operatorAsked(e, at: at))
        case .manualAnswered, .manualTimedOut:
            if let i = operatorSteps.lastIndex(where: { $0.step == e.step }) { Self.operatorAnswered(&operatorSteps[i], e) }
        case .trafficTotal: trafficTotals.append(Self.trafficTotal(e, at: at))
        default: break
        }
    }

    // MARK: events

    private mutating func probeResult(_ e: JournalEvent, at: R.Instant) {
        let r = ProbeResultRecord(data: e.data)
        let probe = e.step ?? r.probe ?? ""
        let role = r.role ?? ""
        let passed = r.passed
        let i: Int
        if let found = seriesIndex[probe]?[role] {
            i = found
        } else {
            i = timeline.series.count
            seriesIndex[probe, default: [:]][role] = i
            timeline.series.append(ProbeTimeline.Series(probe: probe, role: role))
            aggregates.append(Aggregate(first: at, last: at))
        }
        let numeric = ProbeTimeline.numericValue(r.observed)
        timeline.series[i].mono.append(e.mono)
        timeline.series[i].passed.append(passed)
        timeline.series[i].value.append(numeric?.value)
        if let numeric, timeline.series[i].valueField == nil { timeline.series[i].valueField = numeric.field }
        aggregates[i].executions += 1
        if !passed { aggregates[i].failures += 1 }
        aggregates[i].last = at
        aggregates[i].lastPassed = passed
        aggregates[i].lastMessage = r.message ?? ""
        if let expected = r.expected { aggregates[i].expected = expected }
    }

    private mutating func phaseStarted(_ name: String, at: R.Instant) {
        closePhase(at: at)
        phases.append(R.PhaseRow(name: name, start: at, end: nil, seconds: nil))
        if name == "failback" {
            failback = R.FailbackRow(start: at, steps: [], failedSteps: [], verified: nil, verificationFailures: [], verifiedAt: nil)
        }
    }

    private mutating func closePhase(at: R.Instant) {
        guard let i = phases.indices.last, phases[i].end == nil else { return }
        phases[i].end = at
        phases[i].seconds = at.mono - phases[i].start.mono
    }

    private mutating func stepStarted(_ e: JournalEvent, at: R.Instant) {
        let name = e.step ?? ""
        let r = StepStartedRecord(data: e.data)
        let phase = r.phase ?? ""
        openSteps[name, default: []].append(steps.count)
        steps.append(R.StepRow(name: name, phase: phase, kind: r.kind ?? "", start: at, end: nil,
                               seconds: nil, status: "interrupted", summary: "", params: r.params, output: nil))
        if phase == "rollbacks" {
            stepRollback[steps.count - 1] = rollbacks.count
            rollbacks.append(R.RollbackRow(kind: "step", name: name, description: r.kind ?? "", start: at,
                                           end: nil, seconds: nil, status: "running", detail: "", byRecover: inRecover))
        }
        if phase == "failback" { failback?.steps.append(name) }
    }

    private mutating func stepEnded(_ e: JournalEvent, at: R.Instant) {
        let name = e.step ?? ""
        guard let i = openSteps[name]?.popLast() else { return }
        let r = StepEndedRecord(data: e.data)
        let status = r.status ?? ""
        let summary = r.detail ?? ""
        steps[i].end = at
        steps[i].seconds = r.seconds ?? (at.mono - steps[i].start.mono)
        steps[i].status = status
        steps[i].summary = summary
        steps[i].output = r.output
        if let r = stepRollback[i] {
            rollbacks[r].end = at
            rollbacks[r].seconds = steps[i].seconds
            rollbacks[r].status = status == "ok" ? "ok" : "failed"
            rollbacks[r].detail = summary
        }
        guard status == "failed" else { return }
        let phase = steps[i].phase
        switch phase {
        case "rollbacks":
            deviations.append(R.DeviationRow(kind: "rollback-failed", at: at, subject: name, message: summary))
            item("rollback-failed", name, "Rollback step \"\(name)\" failed: \(ReportText.excerpt(summary, limit: 200)). Confirm the system is back to normal and fix the rollback.", at)
        case "failback":
            failback?.failedSteps.append(name)
            deviations.append(R.DeviationRow(kind: "step-failed", at: at, subject: name, message: summary))
            item("step-failed", name, "Failback step \"\(name)\" failed: \(ReportText.excerpt(summary, limit: 200)). Complete the failback by hand.", at)
        default:
            deviations.append(R.DeviationRow(kind: "step-failed", at: at, subject: name, message: summary))
            item("step-failed", name, "Step \"\(name)\" (\(phase)) failed: \(ReportText.excerpt(summary, limit: 200)). Fix the cause or the runbook.", at)
        }
    }

    private mutating func guardBreached(_ e: JournalEvent, at: R.Instant) {
        let name = e.step ?? ""
        let message = e.data["message"]?.stringValue ?? ""
        let expected = e.data["expected"]?.stringValue
        breaches.append(R.GuardBreachRow(at: at, guardName: name, message: message, expected: expected,
                                         observed: e.data["observed"].flatMap { $0.isNull ? nil : $0 },
                                         failures: e.data["failures"]?.intValue))
        let detail = message + (expected.map { " (expected \($0))" } ?? "")
        deviations.append(R.DeviationRow(kind: "guard-breach", at: at, subject: name, message: detail))
        item("guard-breach", name, "Guard \"\(name)\" breached: \(ReportText.excerpt(detail, limit: 200)). Find out why the system left its safe envelope.", at)
    }

    private mutating func effectJudged(_ e: JournalEvent, at: R.Instant) {
        let name = e.step ?? e.data["probe"]?.stringValue ?? ""
        let seen = e.is(.effectSeen)
        effects.append(R.EffectRow(probe: name, status: seen ? "seen" : "not seen", at: at,
                                   observed: e.data["observed"].flatMap { $0.isNull ? nil : $0 },
                                   message: e.data["message"]?.stringValue ?? ""))
        if !seen {
            item("effect-not-seen", name, "Effect check \"\(name)\" never saw the fault, so the run could not show that the fault hit anything. Check that the method targets what the hypothesis is about, and that the effect check looks where the fault lands.", at)
        }
    }

    private mutating func undoIntent(_ e: JournalEvent, at: R.Instant) {
        let r = UndoIntentRecord(data: e.data)
        let id = r.id ?? 0
        undoIndex[id] = undos.count
        // A restoration's undo (a rollback or failback step) is never owed: undoing it would reverse the restoration.
        let restoration = r.restoration
        undos.append(R.UndoRow(id: id, step: e.step ?? "", key: r.key ?? "",
                               description: r.description ?? "", recorded: at,
                               status: restoration ? "not owed" : "pending",
                               how: restoration ? "part of a restoration: never undone" : nil, closed: restoration ? at : nil))
    }

    private mutating func undoStarted(_ e: JournalEvent, at: R.Instant) {
        let r = UndoStartedRecord(data: e.data)
        let id = r.id ?? 0
        undoRollback[id] = rollbacks.count
        let description = r.description ?? undoIndex[id].map { undos[$0].description } ?? ""
        rollbacks.append(R.RollbackRow(kind: "undo", name: "undo #\(id) (\(e.step ?? ""))", description: description, start: at,
                                       end: nil, seconds: nil, status: "running", detail: "", byRecover: inRecover))
    }

    private mutating func undoClosed(_ e: JournalEvent, at: R.Instant) {
        let r = UndoClosedRecord(data: e.data)
        let id = r.id ?? 0
        let done = e.is(.undoDone)
        let how = r.detail
        if let i = undoIndex[id] {
            undos[i].status = done ? "done" : "failed"
            undos[i].how = how
            undos[i].closed = at
        }
        if let r = undoRollback.removeValue(forKey: id) {
            rollbacks[r].end = at
            rollbacks[r].seconds = at.mono - rollbacks[r].start.mono
            rollbacks[r].status = done ? "ok" : "failed"
            rollbacks[r].detail = how ?? ""
        }
        if !done {
            let what = undoIndex[id].map { undos[$0].description } ?? "undo #\(id)"
            deviations.append(R.DeviationRow(kind: "undo-failed", at: at, subject: "undo #\(id)", message: "\(what): \(how ?? "")"))
            item("undo-failed", "undo #\(id)", "Undo #\(id) (\(what)) failed: \(ReportText.excerpt(how ?? "", limit: 200)). The fault may still be in effect: undo it by hand or run firedrill recover.", at)
        }
    }

    private mutating func item(_ kind: String, _ subject: String, _ text: String, _ at: R.Instant?) {
        items.append((at?.mono ?? .infinity, R.ActionItem(id: "", kind: kind, subject: subject, text: text, at: at)))
    }

    /// The hash of every seal line seen: what sign-offs and annotations are chained to.
    var sealHashes: Set<String> { auditor.sealHashes }

    // MARK: finish

    /// The ending a report headlines when the journal's chain or canonical form is broken.
    static let journalInvalid = "journal invalid"

    /// A final line cut short by a killed runner: `firedrill recover` repairs it, so it is not tampering.
    static func isTorn(_ problem: JournalProblem) -> Bool {
        if case .truncatedFinalLine = problem.kind { return true }
        return false
    }

    mutating func finish(verification: VerificationResult, planCopy: PlanCopy? = nil) -> RunReport {
        self.planCopy = planCopy
        let s = started?.data ?? .object([:])
        let end = endedEvent
        let ended = end.map { RunEndedRecord(data: $0.data) }
        let finalInstant = last.map { R.Instant(time: $0.time, mono: $0.mono) }
        if let finalInstant { closePhase(at: finalInstant) }
        for i in steps.indices where steps[i].end == nil {
            steps[i].status = "interrupted"
        }
        for r in rollbacks.indices where rollbacks[r].status == "running" { rollbacks[r].status = "interrupted" }

        let probes = probeRows()
        let drill = drillMeasurements()
        let kind = s["kind"]?.stringValue ?? ""
        var report = RunReport(
            plan: s["plan"]?.stringValue ?? "", title: s["title"]?.stringValue ?? "", kind: kind, description: nil,
            file: s["file"]?.stringValue ?? "", sha256: s["sha256"]?.stringValue ?? "", gitCommit: s["git-commit"]?.stringValue,
            planCopy: "missing", environment: s["environment"]?.stringValue ?? "", initiator: s["initiator"]?.stringValue ?? "",
            participants: Self.strings(s["participants"]), vars: Self.stringMap(s["vars"]),
            rollbackPolicy: s["rollbacks"]?.stringValue,
            limits: s["limits"].map { R.Limits(durationSeconds: $0["duration"]?.doubleValue, maxTargets: $0["max-targets"]?.intValue) },
            notes: Self.strings(s["notes"]),
            started: started?.time ?? first?.time ?? "", ended: end?.time,
            seconds: end.map { $0.mono - (started?.mono ?? 0) },
            ending: ended?.ending ?? "unfinished",
            reason: ended?.reason ?? "the journal ends before the run did (the runner stopped early; run firedrill recover)",
            exitCode: ended?.exitCode,
            rollback: ended?.rollback ?? "unknown",
            recoveredAfterRollback: ended?.recoveredAfterRollback,
            interruptedBy: interruptedBy,
            phases: phases, steps: steps, probes: probes, timeline: timeline, objectives: [], drill: drill,
            faultWindow: nil, guardBreaches: breaches, deviations: [], rollbacks: rollbacks,
            rollbacksSkipped: rollbacksSkipped, undos: undos, failback: failback, recoveryCheck: recoveryCheck,
            recoverSessions: recoverSessions, actionItems: [], signOff: Self.signOff,
            journal: R.JournalEvidence(
                file: Journal.fileName, events: verification.eventCount, head: verification.head, valid: verification.isValid,
                problem: verification.problem.map { "\($0)" }, lastTime: last?.time, howToVerify: Self.howToVerify)
        )
        let audit = auditor.finish(verification: verification)
        report.journal.integrity = audit.integrity.rawValue
        report.journal.seal = audit.headline
        report.journal.signing = audit.signingText
        report.journal.signedThrough = audit.signedThrough
        report.journal.integrityDetails = audit.details
        if audit.lostTail {
            deviations.append(R.DeviationRow(kind: "truncated", at: finalInstant, subject: "journal",
                                             message: "the run ended but the journal's seal is missing: \(audit.headline); its tail was lost or removed"))
            item("journal-truncated", "journal", "The journal lost its tail after the run ended (\(audit.headline)). Compare it with an archived copy, the anchors file or the history store; preserve the file and investigate.", finalInstant)
        }
        if audit.integrity == .tampered, verification.isValid {
            // The chain holds but a signature does not: it was recomputed after an edit.
            let claimed = end?.data["ending"]?.stringValue.map { " It claims the ending `\($0)`, which cannot be trusted." } ?? ""
            report.ending = Self.journalInvalid
            report.reason = "the journal is \(audit.headline).\(claimed) Preserve the file and investigate."
            report.exitCode = nil
        }
        if let problem = verification.problem, !verification.isValid, !Self.isTorn(problem) {
            // A journal altered after the fact proves nothing, whatever ending it claims: say so first, rather
            // than "unfinished" (which sends the reader to `firedrill recover`) or the claimed verdict.
            let claimed = ended?.ending.map { " It claims the ending `\($0)`, which cannot be trusted." } ?? ""
            report.ending = Self.journalInvalid
            report.reason = "the journal is invalid (\(problem)): it may have been altered after the run.\(claimed) Preserve the file and investigate."
            report.exitCode = nil
        }
        if s["allow-production"]?.boolValue == true {
            report.productionAllowedBy = s["allowed-by"]?.stringValue ?? report.initiator
        }
        report.record = R.Record(event: runRecord?.data, checks: bindingChecks)
        report.effects = effects
        report.operatorSteps = operatorSteps.isEmpty ? nil : operatorSteps
        report.trafficTotals = trafficTotals.isEmpty ? nil : trafficTotals
        // A check that watched but was never judged (the method ended early): say so rather than drop it.
        let judged = Set(effects.map(\.probe))
        for p in probes where p.role == "effect" && !judged.contains(p.probe) {
            report.effects.append(R.EffectRow(probe: p.probe, status: "not judged", at: p.last, observed: nil,
                                              message: "the method ended before the check was judged (last: \(p.lastMessage))"))
        }
        report.faultWindow = faultWindow(kind: kind, drill: drill, end: finalInstant)
        probeDeviations(probes, kind: kind)
        report.objectives = objectives(kind: kind, drill: drill, probes: probes, ending: report.ending)
        finalItems(report: report, verification: verification, end: finalInstant)
        report.deviations = deviations.enumerated().sorted {
            ($0.element.at?.mono ?? .infinity, $0.offset) < ($1.element.at?.mono ?? .infinity, $1.offset)
        }.map(\.element)
        report.actionItems = items.enumerated().sorted { ($0.element.mono, $0.offset) < ($1.element.mono, $1.offset) }
            .enumerated().map { n, entry in
                var item = entry.element.item
                item.id = "AI-\(n + 1)"
                return item
            }
        return report
    }

    private func probeRows() -> [R.ProbeRow] {
        timeline.series.indices.map { i in
            let s = timeline.series[i]
            let a = aggregates[i]
            var row = R.ProbeRow(probe: s.probe, role: s.role, executions: a.executions, failures: a.failures, first: a.first,
                                 last: a.last, lastPassed: a.lastPassed, lastMessage: a.lastMessage, expected: a.expected,
                                 valueField: s.valueField)
            let values = s.value.compactMap { $0 }.sorted()
            if !values.isEmpty {
                row.valueMin = values.first
                row.valueMax = values.last
                row.valueP50 = Self.percentile(values, 0.50)
                row.valueP95 = Self.percentile(values, 0.95)
            }
            return row
        }
    }

    /// Failed final checks: steady state after the method (or not met before it), and `verify`.
    private mutating func probeDeviations(_ probes: [R.ProbeRow], kind: String) {
        for p in probes where !p.lastPassed {
            let detail = p.lastMessage + (p.expected.map { " (expected \($0))" } ?? "")
            switch p.role {
            case "steady-state-before", "steady-state-baseline":
                deviations.append(R.DeviationRow(kind: "steady-state", at: p.last, subject: p.probe,
                                                 message: "steady state not met before the run, so nothing was injected: \(detail)"))
            case "steady-state-after":
                deviations.append(R.DeviationRow(kind: "steady-state", at: p.last, subject: p.probe,
                                                 message: "steady state not met after the method: \(detail)"))
                item("hypothesis-rejected", p.probe, "Steady-state probe \"\(p.probe)\" failed after the method: \(ReportText.excerpt(detail, limit: 200)). The system did not tolerate the fault: fix the weakness and run the experiment again.", p.last)
            case "verify":
                deviations.append(R.DeviationRow(kind: "verify", at: p.last, subject: p.probe, message: "verification failed: \(detail)"))
                item("verify-failed", p.probe, "Verification \"\(p.probe)\" failed after recovery: \(ReportText.excerpt(detail, limit: 200)). Check data integrity on the recovered system.", p.last)
            default:
                break
            }
        }
    }

    private mutating func finalItems(report: RunReport, verification: VerificationResult, end: R.Instant?) {
        if let rto = report.drill?.rto, rto.verdict == R.Verdict.missed {
            let at = rtoEvent.map { R.Instant(time: $0.time, mono: $0.mono) }
            let what = rto.seconds.map { "RTO \(ReportText.seconds($0)) exceeded the objective \(ReportText.seconds(rto.objectiveSeconds))" }
                ?? "Service was not recovered (\(rto.reason ?? "no stable instant")); RTO objective \(ReportText.seconds(rto.objectiveSeconds))"
            deviations.append(R.DeviationRow(kind: "objective-missed", at: at, subject: "RTO", message: what))
            item("objective-missed", "RTO", "\(what). Shorten detection or repair (see the spans) or revisit the objective.", at)
        }
        if let rpo = report.drill?.rpo, rpo.verdict == R.Verdict.missed || rpo.error != nil {
            let at = rpoEvent.map { R.Instant(time: $0.time, mono: $0.mono) }
            let what = rpo.seconds.map { _ in "RPO \(ReportLabels.rpoFigure(rpo)) exceeded the objective \(ReportText.seconds(rpo.objectiveSeconds))" }
                ?? "RPO could not be measured: \(rpo.error ?? "no figure")"
            deviations.append(R.DeviationRow(kind: "objective-missed", at: at, subject: "RPO", message: what))
            item("objective-missed", "RPO", "\(what). Review replication and backup settings, or the measurement.", at)
        }
        if let rto = report.drill?.rto, rto.verdict == R.Verdict.inconclusive {
            item("objective-inconclusive", "RTO", "The RTO could not be judged: \(rto.reason ?? "the recovered probe never observed an outage"). Check that the disaster takes the service down and that `recovered` looks where the outage is.",
                 rtoEvent.map { R.Instant(time: $0.time, mono: $0.mono) })
        }
        if let rpo = report.drill?.rpo, rpo.verdict == R.Verdict.inconclusive {
            item("objective-inconclusive", "RPO", "The RPO could not be judged (\(rpo.seconds == nil ? "no figure" : ReportLabels.rpoFigure(rpo))): \(rpo.summary ?? "see the measurement"). A longer heartbeat.lead, or markers acknowledged before the disaster, make it a measurement.",
                 rpoEvent.map { R.Instant(time: $0.time, mono: $0.mono) })
        }
        let pending = undos.filter { $0.status == "pending" }
        for u in pending {
            item("undo-pending", "undo #\(u.id)", "Undo #\(u.id) (\(u.description)) from step \"\(u.step)\" is still owed: the fault may still be in effect. Run firedrill recover on this run directory.", nil)
        }
        let recovered = recoverSessions.last.map { $0.failures == 0 } ?? false
        if endedEvent == nil, report.ending != Self.journalInvalid {
            deviations.append(R.DeviationRow(kind: "unfinished", at: end, subject: "run", message: "the journal has no run.ended event"))
            if pending.isEmpty, !recovered {
                item("unfinished", "run", "The runner stopped before the run ended; run firedrill recover on this run directory and re-render the report.", nil)
            }
        }
        if case .truncatedFinalLine? = verification.problem?.kind {
            item("journal-torn", "journal", "The journal ends in a torn line (\(verification.problem.map { "\($0)" } ?? "")): the runner was killed while writing. Run firedrill recover, which cuts the fragment off and records it, then re-render the report.", nil)
        } else if !verification.isValid {
            item("journal-invalid", "journal", "The journal's hash chain is broken (\(verification.problem.map { "\($0)" } ?? "")): the record may have been altered; preserve the file and investigate.", nil)
        }
    }

    private func faultWindow(kind: String, drill: R.DrillMeasurements?, end: R.Instant?) -> R.Window? {
        if let injected = drill?.rto?.injected ?? injected.map({ R.Mark(time: $0.time, mono: $0.mono, offsetSeconds: 0) }) {
            let close = drill?.rto?.stable?.mono
                ?? phases.first { ["rpo", "verify", "failback", "rollbacks"].contains($0.name) && $0.start.mono >= injected.mono }?.start.mono
                ?? end?.mono ?? injected.mono
            return R.Window(label: drill?.rto?.stable != nil ? "injected → stable" : "injected → end of recovery", startMono: injected.mono, endMono: close)
        }
        if let method = phases.first(where: { $0.name == "method" }) {
            return R.Window(label: "method", startMono: method.start.mono, endMono: method.end?.mono ?? end?.mono ?? method.start.mono)
        }
        return nil
    }

    private func objectives(kind: String, drill: R.DrillMeasurements?, probes: [R.ProbeRow], ending: String) -> [R.ObjectiveRow] {
        var rows: [R.ObjectiveRow] = []
        if let rto = drill?.rto {
            let detail = rto.seconds != nil ? "\(R.RTO.definitionText); detection \(ReportText.seconds(rto.detectionSeconds)), repair \(ReportText.seconds(rto.repairSeconds))"
                : (rto.reason ?? "not measured")
            rows.append(R.ObjectiveRow(name: "RTO", objectiveSeconds: rto.objectiveSeconds, achievedSeconds: rto.seconds, verdict: rto.verdict, detail: detail))
        } else if kind == "Drill" {
            rows.append(R.ObjectiveRow(name: "RTO", objectiveSeconds: planCopy?.rtoObjective, achievedSeconds: nil, verdict: R.Verdict.notMeasured,
                                       detail: "the run ended (\(ending)) before recovery was measured"))
        }
        if let rpo = drill?.rpo {
            rows.append(R.ObjectiveRow(name: "RPO", objectiveSeconds: rpo.objectiveSeconds, achievedSeconds: rpo.seconds, verdict: rpo.verdict,
                                       detail: rpo.error ?? rpo.summary ?? (rpo.mode.map { "measured by \($0)" } ?? ""),
                                       lowerBound: rpo.bound == RPOMeasurement.Bound.lowerBound.rawValue ? true : nil))
        } else if kind == "Drill", let objective = planCopy?.rpoObjective {
            rows.append(R.ObjectiveRow(name: "RPO", objectiveSeconds: objective, achievedSeconds: nil, verdict: R.Verdict.notMeasured,
                                       detail: "the run ended (\(ending)) before data loss was measured"))
        }
        let roles: [(String, String)] = kind == "Drill" ? [("verify", "Verification")] : [("steady-state-after", "Steady-state hypothesis")]
        for (role, name) in roles {
            let checks = probes.filter { $0.role == role }
            if checks.isEmpty {
                if kind != "Drill" {
                    rows.append(R.ObjectiveRow(name: name, objectiveSeconds: nil, achievedSeconds: nil, verdict: R.Verdict.notMeasured,
                                               detail: "the run ended (\(ending)) before the steady state was checked after the method"))
                }
                continue
            }
            let failed = checks.filter { !$0.lastPassed }
            rows.append(R.ObjectiveRow(
                name: name, objectiveSeconds: nil, achievedSeconds: nil, verdict: failed.isEmpty ? R.Verdict.met : R.Verdict.missed,
                detail: failed.isEmpty ? "\(checks.count) of \(checks.count) checks passed (\(checks.map(\.probe).joined(separator: ", ")))"
                    : "failed: " + failed.map { "\($0.probe): \($0.lastMessage)" }.joined(separator: "; ")))
        }
        return rows
    }

    private func drillMeasurements() -> R.DrillMeasurements? {
        guard injected != nil || rtoEvent != nil || rpoEvent != nil || heartbeatStarted != nil else { return nil }
        var m = R.DrillMeasurements()
        if injected != nil || rtoEvent != nil { m.rto = rto() }
        if let e = rpoEvent {
            let d = RPOMeasuredRecord(data: e.data)
            let objective = d.objective
            let seconds = d.seconds
            let verdict: String
            if let journaled = d.verdict, let v = ObjectiveVerdict(rawValue: journaled), objective != nil || v == .inconclusive {
                verdict = Self.label(v)
            } else if let met = d.met, seconds != nil, objective != nil {
                verdict = met ? R.Verdict.met : R.Verdict.missed
            } else if seconds == nil {
                verdict = R.Verdict.notMeasured
            } else {
                verdict = R.Verdict.notSet
            }
            let detail = d.detail
            m.rpo = R.RPO(mode: d.mode, seconds: seconds, summary: d.summary,
                          markersLost: Self.markersLost(detail), bound: d.bound,
                          wal: detail?["wal"]?["summary"]?.stringValue, objectiveSeconds: objective, verdict: verdict,
                          error: d.error, detail: detail)
        }
        if heartbeatStarted != nil || heartbeatStopped != nil {
            let a = heartbeatStarted?.data ?? .object([:])
            let b = heartbeatStopped?.data ?? .object([:])
            m.heartbeat = R.Heartbeat(table: a["table"]?.stringValue, everySeconds: a["every"]?.doubleValue,
                                      attempted: b["attempted"]?.intValue, acknowledged: b["acknowledged"]?.intValue,
                                      failed: b["failed"]?.intValue, newestAcknowledgedSeq: b["newest-acknowledged-seq"]?.intValue)
        }
        return m
    }

    private func rto() -> R.RTO {
        let d = RTOMeasuredRecord(data: rtoEvent?.data ?? .object([:]))
        let injectedMono = injected?.mono ?? d.injected
        func mark(_ mono: Double?, anchor: JournalEvent?) -> R.Mark? {
            guard let mono, let anchor = anchor ?? rtoEvent, let origin = injectedMono else { return nil }
            return R.Mark(time: ReportText.wallTime(atMono: mono, anchorTime: anchor.time, anchorMono: anchor.mono),
                          mono: mono, offsetSeconds: mono - origin)
        }
        let seconds = d.seconds
        let objective = d.objective ?? (rtoEvent == nil ? planCopy?.rtoObjective : nil)
        let verdict: String
        if d.verdict == ObjectiveVerdict.inconclusive.rawValue {
            verdict = R.Verdict.inconclusive
        } else if let objective {
            if let seconds { verdict = seconds <= objective ? R.Verdict.met : R.Verdict.missed }
            else { verdict = rtoEvent == nil ? R.Verdict.notMeasured : R.Verdict.missed }
        } else {
            verdict = seconds == nil ? R.Verdict.notMeasured : R.Verdict.notSet
        }
        var r = R.RTO(
            journaledDefinition: d.definition,
            injected: injected.map { R.Mark(time: $0.time, mono: $0.mono, offsetSeconds: 0) } ?? mark(injectedMono, anchor: nil),
            detected: mark(d.detected ?? detected?.data["mono"]?.doubleValue, anchor: detected),
            firstHealthy: mark(d.firstHealthy ?? firstHealthy?.data["mono"]?.doubleValue, anchor: firstHealthy),
            stable: mark(d.stable ?? stable?.data["mono"]?.doubleValue, anchor: stable),
            seconds: seconds, detectionSeconds: d.detectionSeconds, repairSeconds: d.repairSeconds,
            consecutive: stable?.data["consecutive"]?.intValue, outageDetected: stable?.data["outage-detected"]?.boolValue,
            objectiveSeconds: objective, verdict: verdict, reason: d.reason)
        if rtoEvent == nil { r.reason = "the run ended before service was stable again" }
        return r
    }

    /// The report's word for a journaled verdict.
    static func label(_ verdict: ObjectiveVerdict) -> String {
        switch verdict {
        case .met: return R.Verdict.met
        case .notMet: return R.Verdict.missed
        case .inconclusive: return R.Verdict.inconclusive
        }
    }

    /// Lost markers from an RPO meter's detail: `markers-lost`, `lost-markers` or `lost`.
    static func markersLost(_ detail: JSONValue?) -> Int? {
        guard let detail else { return nil }
        for key in ["markers-lost", "lost-markers", "lost"] {
            if let n = detail[key]?.intValue { return n }
            if let a = detail[key]?.arrayValue { return a.count }
        }
        return nil
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        let rank = Int((p * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    static func strings(_ v: JSONValue?) -> [String] {
        v?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    static func stringMap(_ v: JSONValue?) -> [String: String] {
        guard let o = v?.objectValue else { return [:] }
        var out: [String: String] = [:]
        for (k, value) in o { out[k] = value.stringValue ?? value.canonicalJSON() }
        return out
    }

    static let signOff = ["Prepared by", "Reviewed by", "Approved by"].map { RunReport.SignOffLine(role: $0, name: nil, date: nil) }

    static let howToVerify = [
        "firedrill verify <run directory>   # prints the head of an intact chain; it must equal the head above",
        "tail -n 1 journal.jsonl | tr -d '\\n' | sha256sum   # the SHA-256 of the last line is the head",
    ]
}
