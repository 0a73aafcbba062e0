import Foundation

extension PlanRunner {
    /// The drill's main phase. The heartbeat starts with the baseline and writes markers for its lead before the
    /// disaster. The RTO clock starts at `drill.injected`, journaled (fsynced) as the first disaster step starts;
    /// RTO = stable − injected. The recovery runbook always runs to its end: `recovered` only timestamps detection,
    /// first-healthy and stable, and verify starts once both the runbook has finished and `recovered` is stable.
    ///
    /// The ending: any objective not met or verify failed is DEVIATED; otherwise anything that could not be judged
    /// (no outage observed, an RPO only bounded or not measured) is INCONCLUSIVE; otherwise PASSED.
    func drillMain() async throws -> MainOutcome {
        guard let recovered = plan.recovered else { throw RunError("a drill needs `recovered`") }
        let runID = URL(fileURLWithPath: options.runDirectory).lastPathComponent

        var heartbeat: (any HeartbeatSession)?
        var heartbeatLead: (started: ContinuousClock.Instant, lead: Duration)?
        if let hb = plan.heartbeat {
            try await recorder.record(.phaseStarted, ["phase": "heartbeat"])
            guard let driver = drivers.heartbeat("postgres") else { throw RunError("this build has no postgres heartbeat") }
            let context = stepRunner.makeContext("heartbeat", timeout: .seconds(10), secrets: resolver.secretValues)
            let lead = hb.effectiveLead(objective: plan.objectives?.rpo)
            heartbeat = try await driver.start(dsn: resolver.substitute(hb.dsn, maskSecrets: false), table: hb.table,
                                               every: hb.every, runID: runID, context: context)
            heartbeatLead = (ContinuousClock.now, lead)
            try await recorder.record(.heartbeatStarted, [
                "table": .string(hb.table), "every": .number(hb.every.seconds), "run-id": .string(runID),
                "lead": .number(lead.seconds), "lead-source": .string(hb.lead == nil ? "2 × objectives.rpo" : "heartbeat.lead"),
            ])
        }
        let runningHeartbeat = heartbeat
        let stopHeartbeat: @Sendable () async -> HeartbeatStats? = { await runningHeartbeat?.stop() }

        let injectedBox = InstantBox()
        let outcome: RecoveryOutcome
        var rpoBefore: JSONValue?
        do {
            try await recorder.record(.phaseStarted, ["phase": "baseline"])
            let baseline = try await steadyState(label: "baseline")
            if !baseline.isEmpty {
                if let stats = await stopHeartbeat() { try await recordHeartbeatStopped(stats) }
                return MainOutcome(ending: .notStarted, reason: "not started: baseline steady state not met (\(baseline.joined(separator: "; ")))", injected: false)
            }
            // Operator steps at the head of `disaster` (announce, go-ahead) run before the injection: a person's
            // wait is not part of the outage, so the RTO clock has not started yet.
            let goAhead = Array(plan.disaster.prefix { if case .manual = $0.action { return true } else { return false } })
            if !goAhead.isEmpty {
                try await recorder.record(.phaseStarted, ["phase": "go-ahead"])
                try await stepRunner.run(goAhead, phase: "disaster")
            }
            // Markers written before the disaster are what the RPO is measured against: a loss longer than the
            // lead can only be bounded.
            if let (started, lead) = heartbeatLead {
                let remaining = started + lead - ContinuousClock.now
                if remaining > .zero {
                    try await recorder.record(.phaseStarted, ["phase": "heartbeat-lead", "seconds": .number(remaining.seconds)])
                    recorder.progress(step: "heartbeat", "writing markers for \(DurationSyntax.format(lead)) before the disaster")
                    try await Task.sleep(for: remaining)
                }
            }
            rpoBefore = try await rpoBaseline()
            outcome = try await disasterAndRecovery(recovered, injectedBox: injectedBox)
        } catch {
            // A breach, a limit or Ctrl-C: the markers must stop too, or they go on being written through failback.
            _ = await stopHeartbeat()
            throw error
        }
        let injectedMono = await injectedBox.mono ?? 0
        var missed: [String] = []
        var inconclusive: [String] = []
        missed += outcome.cancelledSteps.map { "step \($0) was cancelled" }

        try await judgeRTO(outcome, injectedMono: injectedMono, missed: &missed, inconclusive: &inconclusive)

        let stats = await stopHeartbeat()
        if let stats { try await recordHeartbeatStopped(stats) }
        if let rpo = plan.rpo {
            try await recorder.record(.phaseStarted, ["phase": "rpo"])
            try await judgeRPO(rpo, disasterAt: await injectedBox.wall ?? 0, stats: stats, before: rpoBefore, runID: runID,
                               missed: &missed, inconclusive: &inconclusive)
        }

        if !plan.verify.isEmpty {
            try await recorder.record(.phaseStarted, ["phase": "verify"])
            let verifier = await currentProbeRunner()
            for spec in plan.verify {
                let result = try await verifier.run(spec, role: "verify") { r in
                    await recorder.note(.probeResult, step: spec.name, r.json(role: "verify"))
                }
                if !result.passed { missed.append("verify \(spec.name): \(result.message)") }
            }
        }
        if !missed.isEmpty {
            return MainOutcome(ending: .deviated, reason: (missed + inconclusive).joined(separator: "; "), injected: true)
        }
        if !inconclusive.isEmpty {
            return MainOutcome(ending: .inconclusive, reason: inconclusive.joined(separator: "; "), injected: true)
        }
        return MainOutcome(ending: .passed, reason: "recovered within the objectives", injected: true)
    }

    /// What the disaster and recovery phase produced: the watcher's instants (nil when `recovered` was not stable
    /// by its deadline) and any disaster or recovery step that ended cancelled.
    struct RecoveryOutcome: Sendable {
        var instants: RecoveryWatcher.Instants?
        var deadline: Duration
        var cancelledSteps: [String]
    }

    /// One task of the disaster and recovery phase.
    private enum RecoveryTask: Sendable {
        case watched(RecoveryWatcher.Instants?)
        case runbookDone
    }

    /// The disaster, then the recovery runbook to its end, while the `recovered` probe is watched until stable or
    /// its deadline; all under the guards and `limits.duration`. Neither task cancels the other: the phase ends
    /// when both have finished. The runbook starts once `recovered` has been checked after the disaster steps
    /// ended (`RecoveryWatcher.Checkpoint`), so a quick repair cannot hide the outage between two checks.
    func disasterAndRecovery(_ recovered: ProbeSpec, injectedBox: InstantBox) async throws -> RecoveryOutcome {
        let deadline = recovered.timeout ?? plan.limits.duration
        // In `recovered`, `timeout` is the overall deadline; each execution gets the driver's default, at most
        // 4 × every (at least 1s), so one hung execution cannot hide the instant service returns.
        var executionSpec = recovered
        executionSpec.timeout = min(ProbeRunner.defaultTimeout(recovered.call), max(recovered.every * 4, .seconds(1)))
        let watchSpec = executionSpec
        let flag = RecoveryWatcher.Flag()
        let checkpoint = RecoveryWatcher.Checkpoint()
        let watcher = RecoveryWatcher(probes: await currentProbeRunner(), recorder: recorder, runbookDone: flag, checked: checkpoint)
        // The runbook waits for a check of `recovered` after the disaster at most this long (a hung check's limit,
        // twice, and a second), then starts anyway.
        let checkWait = executionSpec.timeout.map { $0 * 2 } ?? .seconds(10)
        let instants = try await withDrillGuards { () async throws -> RecoveryWatcher.Instants? in
            await control.markInjecting()
            try await recorder.record(.phaseStarted, ["phase": "disaster"])
            let wall = Date().timeIntervalSince1970
            let injected = try await recorder.record(.drillInjected, ["wall": .number(wall)])
            // The disaster time the RPO is measured from is the event's own time, the instant a reader of the
            // journal sees: not a second clock reading taken after the fsync.
            await injectedBox.set(injected.mono, wall: JournalClock.microseconds(rfc3339: injected.time).map { Double($0) / 1e6 } ?? wall)
            return try await withThrowingTaskGroup(of: RecoveryTask.self) { group in
                group.addTask { .watched(try await Self.within(deadline) { try await watcher.watch(watchSpec) }) }
                group.addTask {
                    let injecting = plan.disaster.drop { if case .manual = $0.action { return true } else { return false } }
                    try await stepRunner.run(Array(injecting), phase: "disaster")
                    await checkpoint.endDisaster()
                    let clock = ContinuousClock()
                    let waitUntil = clock.now + checkWait + .seconds(1)
                    while await !checkpoint.isOpen, clock.now < waitUntil {
                        try await Task.sleep(for: RecoveryWatcher.slice)
                    }
                    try await recorder.record(.phaseStarted, ["phase": "recovery"])
                    try await stepRunner.run(plan.recovery, phase: "recovery")
                    await flag.set()
                    try await recorder.record(.recoveryRunbookDone)
                    return .runbookDone
                }
                var instants: RecoveryWatcher.Instants?
                while let done = try await group.next() {
                    if case .watched(let watched) = done { instants = watched }
                }
                return instants
            }
        }
        let cancelled = await recorder.events.filter {
            StepEndedRecord($0).map { $0.status == "cancelled" && ["disaster", "recovery"].contains($0.phase ?? "") } ?? false
        }.compactMap(\.step)
        return RecoveryOutcome(instants: instants, deadline: deadline, cancelledSteps: cancelled)
    }

    /// `body`'s result, or nil once `limit` has passed (`body` is then cancelled).
    static func within<T: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> T) async throws -> T? {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            return try await group.next() ?? nil
        }
    }

    /// Journals `rto.measured` and judges it: a stable instant without an observed outage is inconclusive unless
    /// the plan says `expect-outage: false`.
    func judgeRTO(_ outcome: RecoveryOutcome, injectedMono: Double, missed: inout [String], inconclusive: inout [String]) async throws {
        let objective = plan.objectives?.rto
        guard let instants = outcome.instants, let stable = instants.stable else {
            try await recorder.record(.rtoMeasured, [
                "seconds": .null, "met": false, "verdict": .string(ObjectiveVerdict.notMet.rawValue),
                "objective": objective.map { .number($0.seconds) } ?? .null,
                "reason": .string("not recovered within \(DurationSyntax.format(outcome.deadline))"),
            ])
            missed.append("not recovered within \(DurationSyntax.format(outcome.deadline))")
            return
        }
        if instants.detected == nil, plan.expectOutage {
            let why = "the `recovered` probe never observed an outage, so the RTO cannot be judged (set `expect-outage: false` if a failover without one is the point)"
            try await recorder.record(.rtoMeasured, [
                "seconds": .null, "met": .null, "verdict": .string(ObjectiveVerdict.inconclusive.rawValue),
                "objective": objective.map { .number($0.seconds) } ?? .null, "injected": .number(injectedMono),
                "stable": .number(stable), "outage-detected": false, "reason": .string(why),
            ])
            inconclusive.append("RTO inconclusive: \(why)")
            return
        }
        let rto = stable - injectedMono
        var data: [String: JSONValue] = [
            "injected": .number(injectedMono), "stable": .number(stable), "seconds": .number(rto),
            "outage-detected": .bool(instants.detected != nil),
            "definition": "RTO = stable − injected: from the first disaster step to the first of N consecutive passes of `recovered`",
        ]
        if let d = instants.detected { data["detected"] = .number(d); data["detection-seconds"] = .number(d - injectedMono) }
        if let h = instants.firstHealthy { data["first-healthy"] = .number(h) }
        if let d = instants.detected { data["repair-seconds"] = .number(stable - d) }
        if let objective {
            let met = rto <= objective.seconds
            data["objective"] = .number(objective.seconds)
            data["met"] = .bool(met)
            data["verdict"] = .string((met ? ObjectiveVerdict.met : .notMet).rawValue)
            if !met { missed.append("RTO \(Self.seconds(rto)) exceeds the objective \(DurationSyntax.format(objective))") }
        }
        try await recorder.record(.rtoMeasured, .object(data))
    }

    /// What `rpo.query` needs from just before the disaster, journaled as `rpo.before`; a failure is journaled and
    /// leaves the RPO inconclusive rather than stopping the drill.
    func rpoBaseline() async throws -> JSONValue? {
        guard let rpo = plan.rpo, case .query = rpo, let meter = drivers.rpoMeter() else { return nil }
        let context = stepRunner.makeContext("rpo", timeout: .seconds(30), secrets: resolver.secretValues)
        do {
            let before = try await meter.before(resolvedRPO(rpo), context: context)
            if let before { try await recorder.record(.rpoBefore, ["before": before]) }
            return before
        } catch let error as CancellationError {
            throw error
        } catch {
            try await recorder.record(.rpoBefore, ["error": .string(String(describing: error))])
            return nil
        }
    }

    /// Journals `rpo.measured` with its verdict (`met`, `not-met`, `inconclusive`).
    func judgeRPO(_ rpo: RPOSpec, disasterAt: Double, stats: HeartbeatStats?, before: JSONValue?, runID: String,
                  missed: inout [String], inconclusive: inout [String]) async throws {
        let spec = resolvedRPO(rpo)
        let objective = plan.objectives?.rpo
        do {
            guard let meter = drivers.rpoMeter() else { throw RunError("this build has no RPO meter") }
            let context = stepRunner.makeContext("rpo", timeout: .seconds(60), secrets: resolver.secretValues)
            let m = try await meter.measure(spec, disasterAt: disasterAt, heartbeat: stats, before: before, runID: runID, context: context)
            var data: [String: JSONValue] = [
                "mode": .string(m.mode), "seconds": m.seconds.map { .number($0) } ?? .null, "bound": .string(m.bound.rawValue),
                "summary": .string(m.summary), "detail": m.detail,
            ]
            if let objective {
                let verdict = m.verdict(objective: objective.seconds)
                data["objective"] = .number(objective.seconds)
                data["verdict"] = .string(verdict.rawValue)
                data["met"] = verdict == .inconclusive ? .null : .bool(verdict == .met)
                let figure = m.seconds.map { (m.bound == .lowerBound ? "≥ " : "") + Self.seconds($0) } ?? "not measured"
                switch verdict {
                case .met: break
                case .notMet: missed.append("RPO \(figure) exceeds the objective \(DurationSyntax.format(objective)) (\(m.summary))")
                case .inconclusive: inconclusive.append("RPO inconclusive (\(figure)): \(m.summary)")
                }
            }
            try await recorder.record(.rpoMeasured, .object(data))
        } catch let error as CancellationError {
            throw error
        } catch {
            try await recorder.record(.rpoMeasured, [
                "seconds": .null, "met": false, "verdict": .string(ObjectiveVerdict.notMet.rawValue), "error": .string(String(describing: error)),
            ])
            missed.append("RPO could not be measured: \(error)")
        }
    }

    func recordHeartbeatStopped(_ stats: HeartbeatStats) async throws {
        try await recorder.record(.heartbeatStopped, [
            "attempted": .number(Double(stats.attempted)), "acknowledged": .number(Double(stats.acknowledged)),
            "failed": .number(Double(stats.failed)), "newest-acknowledged-seq": stats.newestAcknowledgedSeq.map { .number(Double($0)) } ?? .null,
            "newest-acknowledged-at": stats.newestAcknowledgedAt.map { .number($0) } ?? .null,
            "first-acknowledged-at": stats.acknowledgedMarkers.first.map { .number($0.at) } ?? .null,
        ])
    }

    /// Guards and `limits.duration` around the disaster and recovery.
    func withDrillGuards<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
        let box = ValueBox<T>()
        try await runUnderGuards { await box.set(try await body()) }
        guard let value = await box.value else { throw CancellationError() }
        return value
    }

    func resolvedRPO(_ rpo: RPOSpec) -> RPOSpec {
        switch rpo {
        case .heartbeat(let dsn, let table): return .heartbeat(dsn: resolver.substitute(dsn, maskSecrets: false), table: table)
        case .query(let dsn, let query, let primary):
            return .query(dsn: resolver.substitute(dsn, maskSecrets: false), query: resolver.substitute(query, maskSecrets: false),
                          primary: primary.map { resolver.substitute($0, maskSecrets: false) })
        case .backup(let stanza, let manifest): return .backup(stanza: stanza.map { resolver.substitute($0, maskSecrets: false) }, manifest: manifest.map { resolver.substitute($0, maskSecrets: false) })
        }
    }

    /// Failback after a drill (also after an abort), then the steady state as its verification.
    ///
    /// Failback is a runbook whose steps depend on each other, so the first failed step (without `on-error:
    /// continue`) stops it: the steps after it are journaled as skipped. Going on could do harm; after a failed
    /// `pg_rewind`, "start the old primary" would start it as a second primary.
    func runFailback() async -> Int {
        await recorder.note(.phaseStarted, ["phase": "failback"])
        var failed = 0
        for (index, step) in plan.failback.enumerated() {
            await control.started(step.name)
            var stops = false
            do {
                try await stepRunner.run(step, phase: "failback")
            } catch {
                stops = !step.continueOnError
            }
            await control.finished(step.name)
            guard stops else { continue }
            failed += 1
            let skipped = plan.failback.dropFirst(index + 1).map(\.name)
            if !skipped.isEmpty {
                await recorder.note(.failbackStopped, step: step.name, [
                    "skipped": .array(skipped.map { .string($0) }),
                    "reason": .string("\(step.name) failed; finish the failback by hand from here"),
                ])
            }
            break
        }
        if !plan.steadyState.isEmpty {
            let failures = (try? await steadyState(label: "after-failback")) ?? ["check did not complete"]
            await recorder.note(.failbackVerified, ["ok": .bool(failures.isEmpty), "failures": .array(failures.map { .string($0) })])
            if !failures.isEmpty { failed += 1 }
        }
        return failed
    }

    static func seconds(_ s: Double) -> String {
        DurationSyntax.format(.milliseconds(Int64((s * 1000).rounded())))
    }
}

/// The injection instant, shared across tasks.
actor InstantBox {
    var mono: Double?
    var wall: Double?
    func set(_ mono: Double, wall: Double) {
        self.mono = mono
        self.wall = wall
    }
}

/// A value handed out of a task.
actor ValueBox<T: Sendable> {
    var value: T?
    func set(_ v: T) { value = v }
}
