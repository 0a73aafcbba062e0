import FiredrillCore
import Foundation

/// What a run is doing right now, followed from its journal events, so a console can say it while nothing else
/// happens: the `recovered` watch ("recovered: still failing for 2m10s of 1h; last: connection refused"), a
/// `wait` ("wait hold: 12s of 30s"), a running step or rollback, and each guard's streak.
///
/// Pure state: the consoles feed it events and ask for `status(at:)` from their ticker.
struct RunProgress {
    struct RunningStep {
        var name: String
        var kind: String
        var started: Date
        /// For a `wait`, how long it holds.
        var holds: Double?
    }

    struct Watch {
        var ok: Bool
        var message: String
        /// When the current verdict (passing or failing) began.
        var since: Date
        var checks = 0
        var failures = 0
    }

    struct RecoveredWatch {
        var started: Date
        var last: Watch?
        var everFailed = false
        var streak = 0
        var done = false
    }

    var phase = "starting"
    var phaseStarted: Date
    var steps: [RunningStep] = []
    var guards: [String: Watch] = [:]
    var recovered: RecoveredWatch?
    /// The `recovered` deadline in seconds: given by the plan, else `limits.duration` from `run.started`.
    var recoveredDeadline: Double?
    var ended = false

    init(recoveredDeadline: Double? = nil, now: Date = Date()) {
        self.recoveredDeadline = recoveredDeadline
        self.phaseStarted = now
    }

    mutating func apply(_ e: JournalEvent, at now: Date) {
        let d = e.data
        switch e.eventType {
        case .runStarted:
            if recoveredDeadline == nil { recoveredDeadline = RunStartedRecord(data: d).limitSeconds }
        case .phaseStarted:
            phase = PhaseStartedRecord(data: d).phase ?? phase
            phaseStarted = now
            if phase != "disaster", phase != "recovery" { recovered?.done = true }
            // Guards watch the method, or a drill's disaster and recovery: after those, their verdicts are history.
            if !["method", "disaster", "recovery"].contains(phase) { guards = [:] }
        case .stepStarted:
            // `until` and `manual` steps hold until their timeout at most.
            let r = StepStartedRecord(data: d)
            let holds = r.seconds ?? r.timeoutSeconds
                ?? r.params?["for"]?.stringValue.flatMap { try? DurationSyntax.parse($0) }?.seconds
            steps.removeAll { $0.name == e.step }
            steps.append(RunningStep(name: e.step ?? "?", kind: r.kind ?? "", started: now, holds: holds))
        case .stepEnded:
            steps.removeAll { $0.name == e.step }
        case .undoStarted:
            // An undo is named after the fault it undoes: `undo #3 (scale api back to 3) of kill-api`.
            let name = "undo #\(Int(d["id"]?.doubleValue ?? 0)) of \(e.step ?? "?")"
            steps.append(RunningStep(name: name, kind: d["description"]?.stringValue ?? "undo", started: now, holds: nil))
        case .undoDone, .undoFailed:
            let name = "undo #\(Int(d["id"]?.doubleValue ?? 0)) of \(e.step ?? "?")"
            steps.removeAll { $0.name == name }
        case .recoverStarted:
            phase = "recover"
            phaseStarted = now
        case .drillInjected:
            recovered = RecoveredWatch(started: now)
        case .drillStable:
            recovered?.done = true
        case .probeResult:
            let r = ProbeResultRecord(data: d)
            let ok = r.passed
            let message = r.message ?? ""
            switch r.role {
            case "guard":
                guards[e.step ?? "?"] = Self.next(guards[e.step ?? "?"], ok: ok, message: message, at: now)
            case "recovered":
                var watch = recovered ?? RecoveredWatch(started: now)
                watch.last = Self.next(watch.last, ok: ok, message: message, at: now)
                watch.everFailed = watch.everFailed || !ok
                watch.streak = ok ? watch.streak + 1 : 0
                recovered = watch
            default:
                break
            }
        case .runEnded, .recoverEnded:
            ended = true
        default:
            break
        }
    }

    private static func next(_ previous: Watch?, ok: Bool, message: String, at now: Date) -> Watch {
        var watch = previous.map { $0.ok == ok ? $0 : Watch(ok: ok, message: message, since: now, checks: $0.checks, failures: $0.failures) }
            ?? Watch(ok: ok, message: message, since: now)
        watch.message = message
        watch.checks += 1
        if !ok { watch.failures += 1 }
        return watch
    }

    /// One line: the phase and how long it has run, then whatever is in progress in it.
    func status(at now: Date) -> String {
        var parts: [String] = []
        if let watch = recovered, !watch.done {
            parts.append(recoveredText(watch, at: now))
        }
        for step in steps {
            let running = Self.span(now.timeIntervalSince(step.started))
            if let holds = step.holds {
                parts.append("\(step.kind == "wait" ? "wait" : "step") \(step.name): \(running) of \(Self.span(holds))")
            } else {
                parts.append("step \(step.name) (\(step.kind)) running for \(running)")
            }
        }
        for (name, g) in guards.sorted(by: { $0.key < $1.key }) {
            let verdict = g.ok
                ? "ok for \(Self.span(now.timeIntervalSince(g.since)))"
                : "FAILING for \(Self.span(now.timeIntervalSince(g.since))); last: \(Self.excerpt(g.message))"
            parts.append("guard \(name) \(verdict) (\(g.checks) checks, \(g.failures) failed)")
        }
        let head = "\(phase) \(Self.span(now.timeIntervalSince(phaseStarted)))"
        return parts.isEmpty ? "\(head): in progress" : "\(head): " + parts.joined(separator: "; ")
    }

    private func recoveredText(_ watch: RecoveredWatch, at now: Date) -> String {
        let elapsed = Self.span(now.timeIntervalSince(watch.started))
        let of = recoveredDeadline.map { " of \(Self.span($0))" } ?? ""
        guard let last = watch.last else { return "recovered: first check pending, \(elapsed)\(of) after the disaster" }
        if !last.ok {
            return "recovered: still failing for \(elapsed)\(of) (\(last.failures) of \(last.checks) checks failed); last: \(Self.excerpt(last.message))"
        }
        if watch.everFailed {
            return "recovered: passing again (\(watch.streak) in a row) after \(elapsed)\(of)"
        }
        return "recovered: passing, no outage seen yet, \(elapsed)\(of) after the disaster"
    }

    /// Whole seconds as `2m10s`, `45s`, `1h`.
    static func span(_ seconds: Double) -> String {
        DurationSyntax.format(.seconds(Int64(max(0, seconds).rounded(.down))))
    }

    static func excerpt(_ text: String) -> String {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.count > 160 ? String(line.prefix(159)) + "…" : line
    }
}
