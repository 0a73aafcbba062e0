import FiredrillCore

/// One human-readable line per journal event, shared by the plain and live consoles.
public enum EventLine {
    public static func text(_ event: JournalEvent) -> String? {
        let d = event.data
        let step = event.step.map { " \($0)" } ?? ""
        switch event.eventType {
        case .runStarted:
            return "run started: \(d["kind"]?.stringValue ?? "") \(d["plan"]?.stringValue ?? "") in \(d["environment"]?.stringValue ?? "") by \(d["initiator"]?.stringValue ?? "")"
        case .runRecord:
            return record(event).joined(separator: " · ")
        case .phaseStarted:
            return "── \(d["phase"]?.stringValue ?? "")"
        case .stepStarted:
            return "step\(step) started (\(d["kind"]?.stringValue ?? ""))"
        case .stepEnded:
            let status = d["status"]?.stringValue ?? ""
            let secs = d["seconds"]?.doubleValue.map { FixedPoint.format($0, 2) + "s" } ?? ""
            let detail = d["summary"]?.stringValue ?? d["error"]?.stringValue ?? ""
            return "step\(step) \(status) in \(secs)\(detail.isEmpty ? "" : ": \(detail)")"
        case .probeResult:
            let ok = d["passed"] == .bool(true)
            let role = d["role"]?.stringValue ?? "probe"
            if role == "effect" {
                // An effect check that has not yet passed is waiting for the fault, not failing.
                return "effect\(step): \(ok ? "sees the fault" : "not yet") — \(d["message"]?.stringValue ?? "")"
            }
            return "\(role)\(step): \(ok ? "ok" : "FAILED") — \(d["message"]?.stringValue ?? "")"
        case .guardBreached:
            return "GUARD BREACHED\(step): \(d["message"]?.stringValue ?? "") — aborting, cancelling the method"
        case .effectSeen:
            return "effect check\(step) saw the fault"
        case .effectNotSeen:
            return "EFFECT NOT SEEN\(step): the method ended and this check never saw the fault — an otherwise passing run is INCONCLUSIVE"
        case .limitExceeded:
            return "LIMIT EXCEEDED: \(d["limit"]?.stringValue ?? "") — aborting"
        case .undoIntent:
            return "undo recorded\(step): \(d["description"]?.stringValue ?? "")"
        case .undoDone:
            return "undone\(step): \(d["how"]?.stringValue ?? "")"
        case .undoFailed:
            return "UNDO FAILED\(step): \(d["error"]?.stringValue ?? "")"
        case .runInterrupted:
            return "interrupted by \(d["signal"]?.stringValue ?? "a signal"): rolling back (Ctrl-C again shows what is running; a third time exits)"
        case .recoveryChecked:
            return d["recovered"] == .bool(true) ? "recovered after rollback: steady state holds" : "NOT recovered after rollback: \(d["failures"].map { JSONOutput.compact($0) } ?? "")"
        case .runEnded:
            return "run ended: \(d["ending"]?.stringValue ?? "") — \(d["reason"]?.stringValue ?? ""); \(d["rollback"]?.stringValue ?? "")"
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
