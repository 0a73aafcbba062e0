import Foundation

extension PlanRunner {
    /// The drill's main phase. The RTO clock starts at `drill.injected`, journaled (fsynced) as the first disaster
    /// step starts; RTO = stable − injected.
    func drillMain() async throws -> MainOutcome {
        try await recorder.record("phase.started", ["phase": "baseline"])
        let baseline = try await steadyState(label: "baseline")
        if !baseline.isEmpty {
            return MainOutcome(ending: .notStarted, reason: "not started: baseline steady state not met (\(baseline.joined(separator: "; ")))", injected: false)
        }
        guard let recovered = plan.recovered else { throw RunError("a drill needs `recovered`") }
        let runID = URL(fileURLWithPath: options.runDirectory).lastPathComponent

        var heartbeat: (any HeartbeatSession)?
        if let hb = plan.heartbeat {
            try await recorder.record("phase.started", ["phase": "heartbeat"])
            guard let driver = drivers.heartbeat("postgres") else { throw RunError("this build has no postgres heartbeat") }
            let context = stepRunner.makeContext("heartbeat", timeout: .seconds(10), secrets: resolver.secretValues)
            heartbeat = try await driver.start(dsn: resolver.substitute(hb.dsn, maskSecrets: false), table: hb.table,
                                               every: hb.every, runID: runID, context: context)
            try await recorder.record("heartbeat.started", ["table": .string(hb.table), "every": .number(hb.every.seconds), "run-id": .string(runID)])
            // Markers written before the disaster are the baseline the RPO is measured against.
            try await Task.sleep(for: hb.every * 3)
        }

        let deadline = recovered.timeout ?? plan.limits.duration
        // In `recovered`, `timeout` is the overall deadline; each execution gets the driver's default, at most
        // 4 × every (at least 1s), so one hung execution cannot hide the instant service returns.
        var executionSpec = recovered
        executionSpec.timeout = min(ProbeRunner.defaultTimeout(recovered.call.key), max(recovered.every * 4, .seconds(1)))
        let watchSpec = executionSpec
        let flag = RecoveryWatcher.Flag()
        let watcher = RecoveryWatcher(probes: await currentProbeRunner(), recorder: recorder, runbookDone: flag)
        let injectedBox = InstantBox()
        let instants: RecoveryWatcher.Instants?
        do {
            instants = try await withDrillGuards {
                await control.markInjecting()
                try await recorder.record("phase.started", ["phase": "disaster"])
                let wall = Date().timeIntervalSince1970
                let injected = try await recorder.record("drill.injected", ["wall": .number(wall)])
                // The disaster time the RPO is measured from is the event's own time, the instant a reader of the
                // journal sees: not a second clock reading taken after the fsync.
                await injectedBox.set(injected.mono, wall: JournalClock.microseconds(rfc3339: injected.time).map { Double($0) / 1e6 } ?? wall)
                return try await withThrowingTaskGroup(of: RecoveryWatcher.Instants?.self) { group in
                    group.addTask { try await watcher.watch(watchSpec) }
                    group.addTask {
                        try await stepRunner.run(plan.disaster, phase: "disaster")
                        try await recorder.record("phase.started", ["phase": "recovery"])
                        try await stepRunner.run(plan.recovery, phase: "recovery")
                        await flag.set()
                        try await recorder.record("recovery.runbook-done")
                        try await Task.sleep(for: .seconds(365 * 24 * 3600))
                        return nil
                    }
                    group.addTask {
                        try await Task.sleep(for: deadline)
                        return nil
                    }
                    defer { group.cancelAll() }
                    let first = try await group.next() ?? nil
                    return first
                }
            }
        } catch {
            // A breach, a limit or Ctrl-C: the markers must stop too, or they go on being written through failback.
            _ = await heartbeat?.stop()
            throw error
        }
        let injectedMono = await injectedBox.mono ?? 0
        var missed: [String] = []

        if let instants, let stable = instants.stable {
            let rto = stable - injectedMono
            var data: [String: JSONValue] = [
                "injected": .number(injectedMono), "stable": .number(stable), "seconds": .number(rto),
                "definition": "RTO = stable − injected: from the first disaster step to the first of N consecutive passes of `recovered`",
            ]
            if let d = instants.detected { data["detected"] = .number(d); data["detection-seconds"] = .number(d - injectedMono) }
            if let h = instants.firstHealthy { data["first-healthy"] = .number(h) }
            if let d = instants.detected { data["repair-seconds"] = .number(stable - d) }
            if let objective = plan.objectives?.rto {
                data["objective"] = .number(objective.seconds)
                data["met"] = .bool(rto <= objective.seconds)
                if rto > objective.seconds { missed.append("RTO \(Self.seconds(rto)) exceeds the objective \(DurationSyntax.format(objective))") }
            }
            try await recorder.record("rto.measured", .object(data))
        } else {
            try await recorder.record("rto.measured", [
                "seconds": .null, "met": false, "objective": plan.objectives?.rto.map { .number($0.seconds) } ?? .null,
                "reason": .string("not recovered within \(DurationSyntax.format(deadline))"),
            ])
            missed.append("not recovered within \(DurationSyntax.format(deadline))")
        }

        let stats = await heartbeat?.stop()
        if let stats {
            try await recorder.record("heartbeat.stopped", [
                "attempted": .number(Double(stats.attempted)), "acknowledged": .number(Double(stats.acknowledged)),
                "failed": .number(Double(stats.failed)), "newest-acknowledged-seq": stats.newestAcknowledgedSeq.map { .number(Double($0)) } ?? .null,
                "newest-acknowledged-at": stats.newestAcknowledgedAt.map { .number($0) } ?? .null,
            ])
        }
        if let rpo = plan.rpo {
            try await recorder.record("phase.started", ["phase": "rpo"])
            let spec = resolvedRPO(rpo)
            do {
                guard let meter = drivers.rpoMeter() else { throw RunError("this build has no RPO meter") }
                let context = stepRunner.makeContext("rpo", timeout: .seconds(60), secrets: resolver.secretValues)
                let m = try await meter.measure(spec, disasterAt: await injectedBox.wall ?? 0, heartbeat: stats, runID: runID, context: context)
                var data: [String: JSONValue] = ["mode": .string(m.mode), "seconds": .number(m.seconds), "summary": .string(m.summary), "detail": m.detail]
                if let objective = plan.objectives?.rpo {
                    data["objective"] = .number(objective.seconds)
                    data["met"] = .bool(m.seconds <= objective.seconds)
                    if m.seconds > objective.seconds { missed.append("RPO \(Self.seconds(m.seconds)) exceeds the objective \(DurationSyntax.format(objective))") }
                }
                try await recorder.record("rpo.measured", .object(data))
            } catch {
                try await recorder.record("rpo.measured", ["seconds": .null, "met": false, "error": .string(String(describing: error))])
                missed.append("RPO could not be measured: \(error)")
            }
        }

        if !plan.verify.isEmpty {
            try await recorder.record("phase.started", ["phase": "verify"])
            let verifier = await currentProbeRunner()
            for spec in plan.verify {
                let result = try await verifier.run(spec, role: "verify") { r in
                    await recorder.note("probe.result", step: spec.name, r.json(role: "verify"))
                }
                if !result.passed { missed.append("verify \(spec.name): \(result.message)") }
            }
        }
        if missed.isEmpty {
            return MainOutcome(ending: .passed, reason: "recovered within the objectives", injected: true)
        }
        return MainOutcome(ending: .deviated, reason: missed.joined(separator: "; "), injected: true)
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
        case .query(let dsn, let query): return .query(dsn: resolver.substitute(dsn, maskSecrets: false), query: resolver.substitute(query, maskSecrets: false))
        case .backup(let stanza, let manifest): return .backup(stanza: stanza.map { resolver.substitute($0, maskSecrets: false) }, manifest: manifest.map { resolver.substitute($0, maskSecrets: false) })
        }
    }

    /// Failback after a drill (also after an abort), then the steady state as its verification.
    ///
    /// Failback is a runbook whose steps depend on each other, so the first failed step (without `on-error:
    /// continue`) stops it: the steps after it are journaled as skipped. Going on could do harm; after a failed
    /// `pg_rewind`, "start the old primary" would start it as a second primary.
    func runFailback() async -> Int {
        await recorder.note("phase.started", ["phase": "failback"])
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
                await recorder.note("failback.stopped", step: step.name, [
                    "skipped": .array(skipped.map { .string($0) }),
                    "reason": .string("\(step.name) failed; finish the failback by hand from here"),
                ])
            }
            break
        }
        if !plan.steadyState.isEmpty {
            let failures = (try? await steadyState(label: "after-failback")) ?? ["check did not complete"]
            await recorder.note("failback.verified", ["ok": .bool(failures.isEmpty), "failures": .array(failures.map { .string($0) })])
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
