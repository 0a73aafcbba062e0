import FiredrillCore

/// One human-readable line per journal event, shared by the plain and live consoles.
public enum EventLine {
    public static func text(_ event: JournalEvent) -> String? {
        let d = event.data
        let step = event.step.map { " \($0)" } ?? ""
        switch event.eventType {
        case .runStarted:
            let r = RunStartedRecord(data: d)
            return "run started: \(r.kind ?? "") \(r.plan ?? "") in \(r.environment ?? "") by \(r.initiator ?? "")"
        case .runRecord:
            return record(event).joined(separator: " · ")
        case .phaseStarted:
            return "── \(PhaseStartedRecord(data: d).phase ?? "")"
        case .stepStarted:
            return "step\(step) started (\(StepStartedRecord(data: d).kind ?? ""))"
        case .stepEnded:
            let r = StepEndedRecord(data: d)
            let status = r.status ?? ""
            let secs = r.seconds.map { FixedPoint.format($0, 2) + "s" } ?? ""
            let detail = r.detail ?? ""
            return "step\(step) \(status) in \(secs)\(detail.isEmpty ? "" : ": \(detail)")"
        case .probeResult:
            let r = ProbeResultRecord(data: d)
            let ok = r.passed
            let role = r.role ?? "probe"
            if role == "effect" {
                // An effect check that has not yet passed is waiting for the fault, not failing.
                return "effect\(step): \(ok ? "sees the fault" : "not yet") — \(r.message ?? "")"
            }
            return "\(role)\(step): \(ok ? "ok" : "FAILED") — \(r.message ?? "")"
        case .guardBreached:
            return "GUARD BREACHED\(step): \(d["message"]?.stringValue ?? "") — aborting, cancelling the method"
        case .effectSeen:
            return "effect check\(step) saw the fault"
        case .effectNotSeen:
            return "EFFECT NOT SEEN\(step): the method ended and this check never saw the fault — an otherwise passing run is INCONCLUSIVE"
        case .limitExceeded:
            return "LIMIT EXCEEDED: \(d["limit"]?.stringValue ?? "") — aborting"
        case .undoIntent:
            return "undo recorded\(step): \(UndoIntentRecord(data: d).description ?? "")"
        case .undoDone:
            return "undone\(step): \(UndoClosedRecord(data: d).how ?? "")"
        case .undoFailed:
            return "UNDO FAILED\(step): \(UndoClosedRecord(data: d).error ?? "")"
        case .runInterrupted:
            return "interrupted by \(d["signal"]?.stringValue ?? "a signal"): rolling back (Ctrl-C again shows what is running; a third time exits)"
        case .recoveryChecked:
            return d["recovered"] == .bool(true) ? "recovered after rollback: steady state holds" : "NOT recovered after rollback: \(d["failures"].map { JSONOutput.compact($0) } ?? "")"
        case .runEnded:
            let r = RunEndedRecord(data: d)
            return "run ended: \(r.ending ?? "") — \(r.reason ?? ""); \(r.rollback ?? "")"
        case .manualWaiting:
            return "OPERATOR\(step): \(d["prompt"]?.stringValue ?? "")" + (d["who"]?.stringValue.map { " (for \($0))" } ?? "")
                + (d["answer-with"]?.stringValue.map { " — answer: \($0)" } ?? "")
        case .manualAnswered:
            return "operator\(step): \(d["answer"]?.stringValue ?? "") by \(d["operator"]?.stringValue ?? "?")"
                + (d["comment"]?.stringValue.map { ": \($0)" } ?? "") + " (via \(d["via"]?.stringValue ?? "?"))"
        case .manualTimedOut:
            return "OPERATOR STEP TIMED OUT\(step): nobody answered within \(FixedPoint.format(d["timeout-seconds"]?.doubleValue ?? 0, 0))s — the step fails"
        case .untilEnded:
            return "until\(step): " + (d["passed"] == .bool(true) ? "passed" : "NOT passed by its timeout")
                + " after \(d["attempts"]?.intValue ?? 0) attempt(s) — \(d["message"]?.stringValue ?? "")"
        case .repeatStarted:
            return "repetition \(d["index"]?.intValue ?? 0)\(step) started"
        case .repeatEnded:
            let detail = d["summary"]?.stringValue ?? d["error"]?.stringValue ?? ""
            return "repetition \(d["index"]?.intValue ?? 0)\(step) \(d["status"]?.stringValue ?? "")\(detail.isEmpty ? "" : ": \(detail)")"
        case .trafficTotal:
            return "traffic\(step) over the whole \(d["role"]?.stringValue ?? "") watch: \(d["line"]?.stringValue ?? "")"
        case .recoverStarted:
            return "recover started: \(Int(d["pending-undos"]?.doubleValue ?? 0)) pending undo(s)"
        case .recoverEnded:
            return "recover ended: \(Int(d["failures"]?.doubleValue ?? 0)) failure(s)"
        default:
            return "\(event.type)\(step) \(JSONOutput.compact(d))"
        }
    }
}
