import FiredrillCore
import Foundation
import Synchronization

/// Writes a realistic one-hour drill journal through the real `Journal` API, for benchmarking the reports:
/// baseline, heartbeat, a disaster, a timed runbook, three probes watched throughout (two guards and the
/// `recovered` probe, which fails through a long outage and flaps before it is stable), RTO and RPO, verify,
/// failback, rollbacks. Times come from a synthetic clock, so writing takes seconds, not an hour.
public enum SyntheticJournal {
    /// What was written.
    public struct Summary: Sendable {
        public var events: Int
        public var probeEvents: Int
        public var head: String
    }

    /// Creates `dir` (which must not hold a journal yet) with `journal.jsonl` holding at least `probeEvents`
    /// probe results, and `plan.yaml`, the plan the journal names.
    @discardableResult
    public static func write(to dir: String, probeEvents: Int = 50_000, signing: JournalSigning = .unsigned) async throws -> Summary {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(planText.utf8).write(to: URL(fileURLWithPath: dir + "/" + RunManifest.planCopyName))
        let clock = SyntheticClock(wallOrigin: 1_768_442_400_000_000) // 2026-01-15T02:00:00Z
        let journal = try Journal.create(at: URL(fileURLWithPath: dir), clock: clock.journalClock, signing: signing)
        var writer = Writer(journal: journal, clock: clock)
        try await writer.run(probeEvents: max(probeEvents, 30))
        try await journal.seal(by: "run")
        let head = await journal.head
        let count = await journal.lastSequence
        try await journal.close()
        return Summary(events: count, probeEvents: writer.probeEvents, head: head)
    }

    static let planText = """
    apiVersion: firedrill/v1
    kind: Drill
    name: orders-db-failover
    title: Monthly drill — lose the orders primary, promote the standby
    description: |
      Loses the primary PostgreSQL of the orders service and recovers by promoting the standby and repointing
      the API. A pass means the API is stable again within the RTO and the data lost stays within the RPO.
    owner: data-platform
    participants: [on-call SRE, DBA]
    environment: staging
    objectives: { rto: 1h, rpo: 5s }
    """

    /// The run, written in time order.
    struct Writer {
        let journal: Journal
        let clock: SyntheticClock
        var events = 0
        var probeEvents = 0

        mutating func emit(_ mono: Double, _ type: JournalEventType, step: String? = nil, _ data: JSONValue = [:]) async throws {
            clock.set(mono)
            _ = try await journal.append(type: type.rawValue, step: step, data: data)
            events += 1
            if type == .probeResult { probeEvents += 1 }
        }

        mutating func step(_ start: Double, _ end: Double, _ name: String, phase: String, kind: String, summary: String,
                           output: JSONValue = [:]) async throws {
            try await emit(start, .stepStarted, step: name, ["phase": .string(phase), "kind": .string(kind)])
            try await emit(end, .stepEnded, step: name, ["phase": .string(phase), "status": "ok", "seconds": .number(end - start),
                                                          "summary": .string(summary), "output": output])
        }

        mutating func probe(_ mono: Double, _ name: String, role: String, passed: Bool, latency: Double?, status: Int? = nil) async throws {
            var observed: [String: JSONValue] = ["status": .number(Double(status ?? (passed ? 200 : 503)))]
            if let latency { observed["latency"] = .number(latency) }
            var data: [String: JSONValue] = [
                "probe": .string(name), "passed": .bool(passed), "role": .string(role), "attempts": 1,
                "seconds": .number(latency ?? 0.002), "observed": .object(observed),
                "message": .string(passed ? "status 200" : "status 503, expected 200"),
            ]
            if !passed { data["expected"] = "200" }
            try await emit(mono, .probeResult, step: name, .object(data))
        }

        mutating func run(probeEvents target: Int) async throws {
            try await emit(0, .runStarted, [
                "plan": "orders-db-failover", "title": "Monthly drill — lose the orders primary, promote the standby",
                "kind": "Drill", "file": "plans/orders-db-failover.yaml", "sha256": .string(RunSession.sha256(SyntheticJournal.planText)),
                "git-commit": .null, "environment": "staging", "initiator": "sre@drill-host", "participants": ["on-call SRE", "DBA"],
                "vars": ["primary": "postgres://primary:5432/orders"], "rollbacks": "always",
                "notes": ["Synthetic journal for the report benchmark"], "limits": ["duration": 7200, "max-targets": 1],
            ])
            try await emit(0.005, .runRecord, AuditRecord(
                runOperator: RunOperator(name: "Synthetic Operator", source: "--operator", osUser: "sre", uid: 1000, host: "drill-host"),
                parameters: [EffectiveParameter(name: "primary", value: "postgres://primary:5432/orders", planValue: "postgres://orders-db:5432/orders",
                                                overridden: true, secretReference: false)],
                tools: [ToolVersion(tool: "libpq", command: "PQlibVersion()", status: .read, version: "16.4")],
                provenance: PlanProvenance(status: .untracked), binding: nil, runbook: "https://wiki.example.com/runbooks/orders-db-failover"
            ).json)
            try await emit(0.01, .phaseStarted, ["phase": "baseline"])
            try await probe(0.05, "orders-api", role: "steady-state-baseline", passed: true, latency: 0.041)
            try await probe(0.09, "payments-api", role: "steady-state-baseline", passed: true, latency: 0.033)
            try await emit(1, .phaseStarted, ["phase": "heartbeat"])
            try await emit(1.2, .heartbeatStarted, ["table": "firedrill_heartbeat", "every": 0.2, "run-id": "synthetic"])
            try await emit(60, .phaseStarted, ["phase": "disaster"])
            try await emit(60.001, .drillInjected, ["wall": .number(Double(clock.wallOrigin) / 1e6 + 60.001)])

            // Scheduled non-probe events, in time order.
            var scheduled: [(Double, JournalEventType, String?, JSONValue)] = [
                (60.002, .stepStarted, "kill-primary", ["phase": "disaster", "kind": "process.kill"]),
                (60.15, .stepEnded, "kill-primary", ["phase": "disaster", "status": "ok", "seconds": 0.148, "summary": "killed 1 process (pid 4242) with KILL", "output": ["pids": [4242]]]),
                (60.16, .phaseStarted, nil, ["phase": "recovery"]),
                (60.17, .stepStarted, "promote-standby", ["phase": "recovery", "kind": "command"]),
                (68.4, .stepEnded, "promote-standby", ["phase": "recovery", "status": "ok", "seconds": 8.23, "summary": "exit 0", "output": ["exit-code": 0, "stdout": "server promoting"]]),
                (68.5, .stepStarted, "scale-api", ["phase": "recovery", "kind": "kubernetes.scale"]),
                (68.6, .undoIntent, "scale-api", ["id": 1, "key": "kubernetes.scale", "params": ["deployment": "api", "replicas": 3], "description": "scale deployment/api back to 3 replicas"]),
                (75, .stepEnded, "scale-api", ["phase": "recovery", "status": "ok", "seconds": 6.5, "summary": "scaled deployment/api from 3 to 6", "output": ["previous": 3, "replicas": 6]]),
                (75.1, .stepStarted, "repoint-api", ["phase": "recovery", "kind": "kubernetes.rollout-restart"]),
                (420, .stepEnded, "repoint-api", ["phase": "recovery", "status": "ok", "seconds": 344.9, "summary": "deployment/api restarted", "output": [:]]),
                (420.1, .recoveryRunbookDone, nil, [:]),
            ]
            var next = 0
            let windowStart = 60.2, windowEnd = 3000.0
            let outageEnd = windowStart + (windowEnd - windowStart) * 0.85
            let flapEnd = windowStart + (windowEnd - windowStart) * 0.9
            let remaining = target - 5
            let stepSeconds = (windowEnd - windowStart) / Double(remaining)
            var detected = false, firstHealthy = false, streak = 0, streakStart = 0.0, stable: Double?
            for k in 0..<remaining {
                let mono = windowStart + Double(k) * stepSeconds
                while next < scheduled.count, scheduled[next].0 <= mono {
                    let (m, type, stepName, data) = scheduled[next]
                    try await emit(m, type, step: stepName, data)
                    next += 1
                }
                let jitter = Double((k * 7919) % 97) / 97
                switch k % 3 {
                case 0: try await probe(mono, "payments-api", role: "guard", passed: true, latency: 0.030 + 0.02 * jitter + (mono > 60 && mono < 400 ? 0.05 : 0))
                case 1: try await probe(mono, "other-region", role: "guard", passed: true, latency: nil)
                default:
                    let down = mono < outageEnd || (mono < flapEnd && (k / 3) % 7 != 0)
                    let passed = !down
                    try await probe(mono, "orders-api", role: "recovered", passed: passed, latency: passed ? 0.045 + 0.06 * jitter : nil, status: passed ? 200 : 503)
                    if stable != nil { break }
                    if !passed {
                        streak = 0
                        if !detected {
                            detected = true
                            try await emit(mono + 0.0001, .drillDetected, step: "orders-api", ["mono": .number(mono), "message": "status 503, expected 200"])
                        }
                    } else {
                        streak += 1
                        if streak == 1 { streakStart = mono }
                        if detected, !firstHealthy {
                            firstHealthy = true
                            try await emit(mono + 0.0001, .drillFirstHealthy, step: "orders-api", ["mono": .number(mono)])
                        }
                        if streak >= 3, detected {
                            stable = streakStart
                            try await emit(mono + 0.0001, .drillStable, step: "orders-api", ["mono": .number(streakStart), "consecutive": 3, "outage-detected": true])
                        }
                    }
                }
            }
            while next < scheduled.count {
                let (m, type, stepName, data) = scheduled[next]
                try await emit(max(m, windowEnd), type, step: stepName, data)
                next += 1
            }
            scheduled.removeAll()
            let injected = 60.001
            let stableAt = stable ?? windowEnd
            let detectedAt = windowStart + 2 * stepSeconds
            var t = windowEnd + 0.5
            try await emit(t, .rtoMeasured, [
                "injected": .number(injected), "stable": .number(stableAt), "seconds": .number(stableAt - injected),
                "detected": .number(detectedAt), "detection-seconds": .number(detectedAt - injected), "repair-seconds": .number(stableAt - detectedAt),
                "definition": "RTO = stable − injected: from the first disaster step to the first of N consecutive passes of `recovered`",
                "objective": 3600, "met": .bool(stableAt - injected <= 3600),
            ])
            t += 0.2
            try await emit(t, .heartbeatStopped, ["attempted": 14_700, "acknowledged": 14_690, "failed": 10, "newest-acknowledged-seq": 14_690, "newest-acknowledged-at": .number(Double(clock.wallOrigin) / 1e6 + 60)])
            try await emit(t + 0.1, .phaseStarted, ["phase": "rpo"])
            try await emit(t + 1.4, .rpoMeasured, ["mode": "heartbeat", "seconds": 1.4, "summary": "7 acknowledged markers lost; newest surviving written 1.4s before the disaster",
                                                     "detail": ["markers-lost": 7, "newest-acknowledged-seq": 300, "newest-surviving-seq": 293], "objective": 5, "met": true])
            t += 2
            try await emit(t, .phaseStarted, ["phase": "verify"])
            try await probe(t + 0.3, "orders-count", role: "verify", passed: true, latency: nil)
            t += 1
            try await emit(t, .phaseStarted, ["phase": "failback"])
            try await step(t + 0.1, t + 180, "failback-primary", phase: "failback", kind: "command", summary: "exit 0", output: ["exit-code": 0])
            t += 181
            try await probe(t, "orders-api", role: "steady-state-after-failback", passed: true, latency: 0.052)
            try await emit(t + 0.1, .failbackVerified, ["ok": true, "failures": []])
            t += 1
            try await emit(t, .phaseStarted, ["phase": "rollbacks"])
            try await emit(t + 0.1, .undoStarted, step: "scale-api", ["id": 1, "description": "scale deployment/api back to 3 replicas"])
            try await emit(t + 4, .undoDone, step: "scale-api", ["id": 1, "how": "scaled deployment/api to 3"])
            try await step(t + 4.1, t + 30, "restore-alerts", phase: "rollbacks", kind: "command", summary: "exit 0")
            t += 31
            try await emit(t, .phaseStarted, ["phase": "recovered-after-rollback"])
            try await probe(t + 0.2, "orders-api", role: "steady-state-after-rollback", passed: true, latency: 0.047)
            try await emit(t + 0.3, .recoveryChecked, ["recovered": true, "failures": []])
            try await emit(t + 0.4, .runEnded, ["ending": "passed", "reason": "recovered within the objectives", "exit-code": 0,
                                                  "rollback": "rolled back", "recovered-after-rollback": true])
        }
    }
}
