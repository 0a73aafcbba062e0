import Foundation

/// Runs a plan. An Experiment: steady state before, the method under guards (its `effect` probes watching for
/// the fault), steady state after. A Drill: baseline,
/// heartbeat, disaster and the timed recovery runbook under guards while the `recovered` probe times the outage,
/// RPO, verify. Both then run (in a fresh task, so an abort cannot cancel them) failback for a drill and rollbacks
/// on every ending, and check the steady state once more.
public struct PlanRunner: Sendable {
    public let plan: Plan
    public let drivers: any DriverSet
    public let resolver: Resolver
    public let options: RunOptions
    public let recorder: RunRecorder
    public let control: RunControl
    let ledger: UndoLedger
    let results = StepResults()

    public init(plan: Plan, drivers: any DriverSet, resolver: Resolver, options: RunOptions, recorder: RunRecorder, control: RunControl) {
        self.plan = plan
        self.drivers = drivers
        self.resolver = resolver
        self.options = options
        self.recorder = recorder
        self.control = control
        self.ledger = UndoLedger(recorder: recorder)
    }

    var stepRunner: StepRunner {
        var runner = StepRunner(drivers: drivers, resolver: resolver, results: results, recorder: recorder, ledger: ledger,
                                maxTargets: plan.limits.maxTargets, runLimit: plan.limits.duration)
        runner.runDirectory = options.runDirectory
        runner.terminal = options.terminal
        return runner
    }

    /// A probe runner whose references see what the run recorded so far, so probes can compare with the baseline
    /// (`expect: { value: ">= ${steps.baseline-count.value}" }`).
    func currentProbeRunner() async -> ProbeRunner {
        let steps = stepRunner
        let secrets = resolver.secretValues
        return ProbeRunner(drivers: drivers, resolver: await steps.currentResolver()) { name, timeout in
            steps.makeContext(name, timeout: timeout, secrets: secrets)
        }
    }

    /// The outcome of the main phase, before rollbacks.
    struct MainOutcome: Sendable {
        var ending: RunEnding
        var reason: String
        var injected: Bool
    }

    /// The main phase under `limits.duration`: steady state, method or disaster and recovery, verify.
    func runMain() async -> MainOutcome {
        do {
            let kind = plan.kind
            return try await withLimit(plan.limits.duration, name: "duration") {
                switch kind {
                case .experiment: return try await experimentMain()
                case .drill: return try await drillMain()
                }
            }
        } catch let breach as GuardBreach {
            await recorder.note(.guardBreached, step: breach.guardName, [
                "message": .string(breach.message), "observed": breach.observed ?? .null,
                "expected": breach.expected.map { .string($0) } ?? .null, "failures": .number(Double(breach.failures)),
            ])
            return MainOutcome(ending: .aborted, reason: breach.description, injected: await control.injected)
        } catch let limit as LimitExceeded {
            await recorder.note(.limitExceeded, ["limit": .string(limit.description)])
            return MainOutcome(ending: .aborted, reason: limit.description, injected: await control.injected)
        } catch let failure as StepFailure {
            return MainOutcome(ending: .failed, reason: failure.description, injected: await control.injected)
        } catch is CancellationError {
            return MainOutcome(ending: .interrupted, reason: "cancelled", injected: await control.injected)
        } catch {
            return MainOutcome(ending: .failed, reason: String(describing: error), injected: await control.injected)
        }
    }

    /// Runs `body`, cancelling it and throwing `LimitExceeded` when `limit` passes first.
    func withLimit<T: Sendable>(_ limit: Duration, name: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
        try await withThrowingTaskGroup(of: T.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw LimitExceeded(limit: limit, name: name)
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw CancellationError() }
            return first
        }
    }

    public func run() async throws -> RunSummary {
        let box = OutcomeBox()
        let main = Task { await box.set(await runMain()) }
        await control.setMainTask(main)
        await control.enter(.main)
        await main.value
        var outcome = await box.value ?? MainOutcome(ending: .interrupted, reason: "interrupted", injected: true)
        if let signal = await control.interruptedBy, outcome.ending != .aborted || outcome.reason == "cancelled" {
            outcome.ending = .interrupted
            outcome.reason = "interrupted by \(signal)"
            await recorder.note(.runInterrupted, ["signal": .string(signal)])
        }

        await control.enter(.rollbacks)
        let ended = outcome
        let rollbackLimit = plan.limits.rollbacks
        // A fresh task: cancelling the main phase cannot cancel it. Only `limits.rollbacks` can; whatever is still
        // owed then stays owed (open undos, rollback steps not ended ok) for `firedrill recover`.
        let rollbackTask = Task { () -> (RollbackOutcome, Bool?) in
            do {
                return try await withLimit(rollbackLimit, name: "rollbacks") { await runRollbacks(after: ended) }
            } catch {
                await recorder.note(.limitExceeded, ["limit": .string(LimitExceeded(limit: rollbackLimit, name: "rollbacks").description),
                                                       "phase": "rollbacks"])
                StandardStreams.err("firedrill: limits.rollbacks of \(DurationSyntax.format(rollbackLimit)) exceeded: what is still owed stays owed; run `firedrill recover \(options.runDirectory)`\n")
                return (.pending, nil)
            }
        }
        let (rollback, recovered) = await rollbackTask.value
        await control.enter(.finished)

        await recorder.note(.runEnded, [
            "ending": .string(outcome.ending.rawValue), "reason": .string(outcome.reason),
            "exit-code": .number(Double(outcome.ending.exitCode)), "rollback": .string(rollback.rawValue),
            "precedence": .array(RunEnding.precedence.map { .string($0.rawValue) }),
            "recovered-after-rollback": recovered.map { .bool($0) } ?? .null,
        ])
        var summary = RunSummary(ending: outcome.ending, reason: outcome.reason, rollback: rollback,
                                 recoveredAfterRollback: recovered, runDirectory: options.runDirectory, events: await recorder.events)
        summary.journalFailure = await recorder.writeFailure
        return summary
    }

    func experimentMain() async throws -> MainOutcome {
        try await recorder.record(.phaseStarted, ["phase": "steady-state-before"])
        let before = try await steadyState(label: "before")
        if !before.isEmpty {
            return MainOutcome(ending: .notStarted, reason: "not started: steady state not met (\(before.joined(separator: "; ")))", injected: false)
        }
        await control.markInjecting()
        try await recorder.record(.phaseStarted, ["phase": "method"])
        let effects = EffectWatcher(probes: await currentProbeRunner(), recorder: recorder)
        try await runUnderGuards(effects: effects) { try await stepRunner.run(plan.method, phase: "method") }
        // Judged only when the method ran to its end: an aborted or failed run ends so whatever the checks saw.
        let unseen = await effects.finish(plan.effect)
        try await recorder.record(.phaseStarted, ["phase": "steady-state-after"])
        let after = try await steadyState(label: "after")
        if !after.isEmpty {
            return MainOutcome(ending: .deviated, reason: "steady state not met after the method: \(after.joined(separator: "; "))", injected: true)
        }
        var untested: [String] = []
        let untouched = await stepsWithoutTargets(plan.method)
        if !untouched.isEmpty {
            let names = untouched.map { "`\($0)`" }.joined(separator: ", ")
            untested.append("\(names) matched no target, so no fault was injected and the hypothesis was not tested")
        }
        if !unseen.isEmpty {
            let names = unseen.map { "`\($0)`" }.joined(separator: ", ")
            untested.append("effect check\(unseen.count == 1 ? "" : "s") \(names) never saw the fault: the fault may not have hit anything")
        }
        if !untested.isEmpty {
            return MainOutcome(ending: .inconclusive, reason: "the steady state held, but " + untested.joined(separator: "; and "), injected: true)
        }
        return MainOutcome(ending: .passed, reason: "steady state held", injected: true)
    }

    /// The steps (nested ones included) that ran and reported an empty `targets` list: a fault that matched nothing
    /// and was skipped (`if-none: skip`).
    func stepsWithoutTargets(_ steps: [Step]) async -> [String] {
        let outputs = await results.all
        func walk(_ steps: [Step]) -> [String] {
            steps.flatMap { step -> [String] in
                if case .parallel(let children) = step.action { return walk(children) }
                guard case .array(let targets)? = outputs[step.name]?["targets"], targets.isEmpty else { return [] }
                return [step.name]
            }
        }
        return walk(steps)
    }

    /// Runs the probes once through their attempts; returns the failure messages.
    func steadyState(label: String) async throws -> [String] {
        var failures: [String] = []
        for spec in plan.steadyState {
            let result = try await currentProbeRunner().run(spec) { r in
                await recorder.note(.probeResult, step: spec.name, r.json(role: "steady-state-\(label)"))
            }
            if !result.passed { failures.append("\(spec.name): \(result.message)") }
            // The baseline's observations are readable later as ${steps.NAME.FIELD} (e.g. a row count to verify).
            if label == "before" || label == "baseline", let observed = result.observed {
                await results.set(spec.name, observed)
            }
        }
        return failures
    }

    /// Runs `body` while every guard watches, and the experiment's `effect` probes with them when `effects` is
    /// given; the first breach or failure cancels the rest (`limits.duration` bounds the whole main phase around
    /// it). Effect probes never end the phase.
    func runUnderGuards(effects: EffectWatcher? = nil, _ body: @escaping @Sendable () async throws -> Void) async throws {
        let watcher = GuardWatcher(probes: await currentProbeRunner(), recorder: recorder)
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask {
                try await body()
                return true
            }
            for spec in plan.guards {
                group.addTask {
                    try await watcher.watch(spec)
                    return false
                }
            }
            if let effects {
                for spec in plan.effect {
                    group.addTask {
                        await effects.watch(spec)
                        return false
                    }
                }
            }
            defer { group.cancelAll() }
            while let done = try await group.next() {
                if done { return }
            }
        }
    }

    /// Undoes open ledger entries (newest first), then runs the plan's rollbacks; each failure is recorded and the
    /// rest still run. Then checks the steady state once more.
    func runRollbacks(after outcome: MainOutcome) async -> (RollbackOutcome, Bool?) {
        let pending = await ledger.pending
        let policy = options.rollbacks
        let wanted: Bool
        switch policy {
        case .always: wanted = true
        case .onFailure: wanted = outcome.ending != .passed
        case .never: wanted = false
        }
        if !wanted {
            await recorder.note(.rollbacksSkipped, ["policy": .string(policy.rawValue), "pending-undos": .number(Double(pending.count))])
            return (pending.isEmpty ? .skipped : .pending, nil)
        }
        if !outcome.injected, pending.isEmpty {
            await recorder.note(.rollbacksSkipped, ["reason": "nothing was injected"])
            return (.nothingToRollBack, nil)
        }
        var failed = 0
        var work = pending.count + plan.rollbacks.count
        if plan.kind == .drill, outcome.injected, !plan.failback.isEmpty {
            work += plan.failback.count
            failed += await runFailback()
        }
        await recorder.note(.phaseStarted, ["phase": "rollbacks"])
        failed += await UndoExecutor(drivers: drivers, recorder: recorder, control: control).undo(pending, ledger: ledger)
        let runner = stepRunner
        for step in plan.rollbacks {
            await control.started(step.name)
            do {
                try await runner.run(step, phase: "rollbacks")
            } catch {
                failed += 1
            }
            await control.finished(step.name)
        }
        var recovered: Bool?
        if !plan.steadyState.isEmpty {
            await recorder.note(.phaseStarted, ["phase": "recovered-after-rollback"])
            let failures = (try? await steadyState(label: "after-rollback")) ?? ["check did not complete"]
            recovered = failures.isEmpty
            await recorder.note(.recoveryChecked, ["recovered": .bool(failures.isEmpty), "failures": .array(failures.map { .string($0) })])
        }
        // "rolled back" only when something was: a plan without rollbacks whose faults undid themselves says so.
        return (failed > 0 ? .rollbackFailed : work == 0 ? .nothingToRollBack : .rolledBack, recovered)
    }
}

/// Holds the main phase's outcome across the task boundary.
actor OutcomeBox {
    var value: PlanRunner.MainOutcome?
    func set(_ v: PlanRunner.MainOutcome) { value = v }
}
