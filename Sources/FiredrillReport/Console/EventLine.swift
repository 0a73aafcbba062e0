import FiredrillCore

/// One human-readable line per journal event, shared by the plain and live consoles.
public enum EventLine {
    public static func text(_ event: JournalEvent) -> String? {
        let d = event.data
        let step = event.step.map { " \($0)" } ?? ""
        switch event.type {
        case "run.started":
            return "run started: \(d["kind"]?.stringValue ?? "") \(d["plan"]?.stringValue ?? "") in \(d["environment"]?.stringValue ?? "") by \(d["initiator"]?.stringValue ?? "")"
        case "phase.started":
            return "── \(d["phase"]?.stringValue ?? "")"
        case "step.started":
            return "step\(step) started (\(d["kind"]?.stringValue ?? ""))"
        case "step.ended":
            let status = d["status"]?.stringValue ?? ""
            let secs = d["seconds"]?.doubleValue.map { FixedPoint.format($0, 2) + "s" } ?? ""
            let detail = d["summary"]?.stringValue ?? d["error"]?.stringValue ?? ""
            return "step\(step) \(status) in \(secs)\(detail.isEmpty ? "" : ": \(detail)")"
        case "probe.result":
            let ok = d["passed"] == .bool(true)
            let role = d["role"]?.stringValue ?? "probe"
            if role == "effect" {
                // An effect check that has not yet passed is waiting for the fault, not failing.
                return "effect\(step): \(ok ? "sees the fault" : "not yet") — \(d["message"]?.stringValue ?? "")"
            }
            return "\(role)\(step): \(ok ? "ok" : "FAILED") — \(d["message"]?.stringValue ?? "")"
        case "guard.breached":
            return "GUARD BREACHED\(step): \(d["message"]?.stringValue ?? "") — aborting, cancelling the method"
        case "effect.seen":
            return "effect check\(step) saw the fault"
        case "effect.not-seen":
            return "EFFECT NOT SEEN\(step): the method ended and this check never saw the fault — an otherwise passing run is INCONCLUSIVE"
        case "limit.exceeded":
            return "LIMIT EXCEEDED: \(d["limit"]?.stringValue ?? "") — aborting"
        case "undo.intent":
            return "undo recorded\(step): \(d["description"]?.stringValue ?? "")"
        case "undo.done":
            return "undone\(step): \(d["how"]?.stringValue ?? "")"
        case "undo.failed":
            return "UNDO FAILED\(step): \(d["error"]?.stringValue ?? "")"
        case "run.interrupted":
            return "interrupted by \(d["signal"]?.stringValue ?? "a signal"): rolling back (Ctrl-C again shows what is running; a third time exits)"
        case "recovery.checked":
            return d["recovered"] == .bool(true) ? "recovered after rollback: steady state holds" : "NOT recovered after rollback: \(d["failures"].map { JSONOutput.compact($0) } ?? "")"
        case "run.ended":
            return "run ended: \(d["ending"]?.stringValue ?? "") — \(d["reason"]?.stringValue ?? ""); \(d["rollback"]?.stringValue ?? "")"
        case "recover.started":
            return "recover started: \(Int(d["pending-undos"]?.doubleValue ?? 0)) pending undo(s)"
        case "recover.ended":
            return "recover ended: \(Int(d["failures"]?.doubleValue ?? 0)) failure(s)"
        default:
            return "\(event.type)\(step) \(JSONOutput.compact(d))"
        }
    }
}
