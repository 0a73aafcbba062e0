/// Runs lists of steps: drivers with their timeouts, `wait`, and `parallel`. Every step is journaled as
/// `step.started` and `step.ended`; cancellation (a guard breach, a signal, a limit) stops the running step at
/// once, subprocess groups included.
public struct StepRunner: Sendable {
    public let drivers: any DriverSet
    public let baseResolver: Resolver
    public let results: StepResults
    public let recorder: RunRecorder
    public let ledger: UndoLedger
    public let maxTargets: Int
    /// Used when a step has no timeout and its driver none either (`wait`, `process.pause`, floods).
    public let runLimit: Duration
    /// Where `firedrill confirm` leaves answers to `manual` steps (the run directory); nil: only a terminal can.
    public var runDirectory: String?
    /// The runner's terminal, when a person sits at it (`manual` steps ask there too).
    public var terminal: (any OperatorTerminal)?

    public init(drivers: any DriverSet, resolver: Resolver, results: StepResults, recorder: RunRecorder,
                ledger: UndoLedger, maxTargets: Int, runLimit: Duration) {
        self.drivers = drivers
        self.baseResolver = resolver
        self.results = results
        self.recorder = recorder
        self.ledger = ledger
        self.maxTargets = maxTargets
        self.runLimit = runLimit
    }

    /// Runs `steps` in order. With `keepGoing` (rollbacks), a failed step is recorded and the next one runs;
    /// otherwise the first failure (without `on-error: continue`) is thrown.
    /// - Returns: the failures that were tolerated.
    @discardableResult
    public func run(_ steps: [Step], phase: String, keepGoing: Bool = false) async throws -> [StepFailure] {
        var tolerated: [StepFailure] = []
        for step in steps {
            do {
                try await run(step, phase: phase)
            } catch let failure as StepFailure {
                if keepGoing || step.continueOnError {
                    tolerated.append(failure)
                } else {
                    throw failure
                }
            }
        }
        return tolerated
    }

    /// The phases whose steps put things back: their undo intents are never owed (see `UndoLedger.willApply`),
    /// and they run even when the journal can no longer be written.
    public static let restorationPhases: Set<String> = ["rollbacks", "failback"]

    public func run(_ step: Step, phase: String) async throws {
        try await run(step, phase: phase, restoring: Self.restorationPhases.contains(phase))
    }

    func run(_ step: Step, phase: String, restoring: Bool) async throws {
        try Task.checkCancellation()
        if !restoring, let failure = await recorder.writeFailure {
            throw StepFailure(step: step.name, message: "not started: nothing is injected once the journal could not be written (\(failure))")
        }
        let clock = ContinuousClock()
        let start = clock.now
        var started: [String: JSONValue] = ["phase": .string(phase), "kind": .string(step.kindName)]
        let resolver = await currentResolver()
        if case .driver(let call) = step.action {
            started["params"] = .object(Self.json(resolver.display(call.params)))
        }
        if case .wait(let d, _) = step.action { started["seconds"] = .number(d.seconds) }
        Self.describe(step, resolver: resolver, into: &started)
        if restoring {
            // A restoration runs even when its record cannot be written: better an unrecorded rollback than a
            // fault left in place.
            await recorder.note(.stepStarted, step: step.name, .object(started))
        } else {
            try await recorder.record(.stepStarted, step: step.name, .object(started))
        }
        do {
            let outcome = try await execute(step, resolver: resolver, restoring: restoring)
            await results.set(step.name, outcome.output)
            let ended: JSONValue = [
                "phase": .string(phase), "status": "ok", "seconds": .number((clock.now - start).seconds),
                "summary": .string(outcome.summary), "output": outcome.output,
            ]
            if restoring {
                await recorder.note(.stepEnded, step: step.name, ended)
            } else {
                try await recorder.record(.stepEnded, step: step.name, ended)
            }
        } catch {
            let cancelled = error is CancellationError || Task.isCancelled
            let message = cancelled ? "cancelled" : String(describing: error)
            await recorder.note(.stepEnded, step: step.name, [
                "phase": .string(phase), "status": .string(cancelled ? "cancelled" : "failed"),
                "seconds": .number((clock.now - start).seconds), "error": .string(message),
            ])
            if cancelled { throw CancellationError() }
            throw StepFailure(step: step.name, message: message)
        }
    }

    private func execute(_ step: Step, resolver: Resolver, restoring: Bool) async throws -> StepOutcome {
        if let repetition = step.repetition {
            var single = step
            single.repetition = nil
            let once = single
            return try await RepeatSchedule(spec: repetition, step: step.name, recorder: recorder, restoring: restoring).run {
                try await execute(once, resolver: await currentResolver(), restoring: restoring)
            }
        }
        switch step.action {
        case .until(let until):
            let secrets = resolver.secretValues
            let probes = ProbeRunner(drivers: drivers, resolver: resolver) { name, timeout in
                makeContext(name, timeout: timeout, secrets: secrets, restoring: restoring)
            }
            return try await UntilPoller(spec: until, step: step.name, probes: probes, recorder: recorder).run()
        case .manual(let manual):
            let prompt = resolver.substitute(manual.prompt, maskSecrets: true)
            return try await OperatorWait(spec: manual, step: step.name, prompt: prompt, runDirectory: runDirectory,
                                          terminal: terminal, recorder: recorder).run()
        case .wait(let duration, _):
            recorder.progress(step: step.name, "waiting \(DurationSyntax.format(duration))")
            try await Task.sleep(for: duration)
            return StepOutcome(output: ["seconds": .number(duration.seconds)], summary: "waited \(DurationSyntax.format(duration))")
        case .parallel(let children):
            try await withThrowingTaskGroup(of: Void.self) { group in
                for child in children {
                    group.addTask { try await run(child, phase: "parallel", restoring: restoring) }
                }
                try await group.waitForAll()
            }
            return StepOutcome(summary: "\(children.count) steps together")
        case .driver(let call):
            guard let driver = drivers.step(call.key) else {
                throw DriverError(call.key, "this build has no driver for `\(call.key)` yet")
            }
            let timeout = step.timeout ?? call.spec?.defaultTimeoutDuration ?? runLimit
            let params = resolver.resolve(call.params)
            let unresolved = resolver.unresolved(in: call.params)
            if !unresolved.isEmpty {
                throw DriverError(call.key, "not set: \(unresolved.joined(separator: ", "))")
            }
            let context = makeContext(step.name, timeout: timeout, secrets: resolver.secretValues, restoring: restoring)
            return try await withTimeout(timeout, what: "step \(step.name)") {
                try await driver.run(params, context: context)
            }
        }
    }

    func makeContext(_ name: String, timeout: Duration, secrets: [String], restoring: Bool = false) -> DriverContext {
        let ledger = self.ledger
        let recorder = self.recorder
        var context = DriverContext(
            name: name, timeout: timeout, maxTargets: maxTargets, secrets: secrets,
            willApply: { action in try await ledger.willApply(action, step: name, restoration: restoring) },
            didUndo: { token, how in try await ledger.didUndo(token, how: how) },
            record: { type, data in await recorder.note(driverEvent: type, step: name, data) },
            progress: { line in recorder.progress(step: name, line) }
        )
        context.runDirectory = runDirectory
        return context
    }

    public func currentResolver() async -> Resolver {
        var r = baseResolver
        r.stepResults = await results.all
        return r
    }

    /// What `step.started` says of `until`, `manual` and repeated steps.
    static func describe(_ step: Step, resolver: Resolver, into started: inout [String: JSONValue]) {
        switch step.action {
        case .until(let until):
            started["probe"] = .string(until.probe.call.key)
            started["params"] = .object(json(resolver.display(until.probe.call.params)))
            if let expect = until.probe.expectNode { started["expect"] = .string(resolver.display(expect).inline) }
            started["every-seconds"] = .number(until.every.seconds)
            started["timeout-seconds"] = .number(until.timeout.seconds)
        case .manual(let manual):
            started["prompt"] = .string(resolver.substitute(manual.prompt, maskSecrets: true))
            started["who"] = manual.who.map { .string($0) } ?? .null
            started["timeout-seconds"] = .number(manual.timeout.seconds)
        default:
            break
        }
        if let r = step.repetition {
            started["repeat"] = [
                "every-seconds": .number(r.every.seconds), "for-seconds": .number(r.duration.seconds),
                "jitter-seconds": .number(r.jitter.seconds), "max-repetitions": .number(Double(r.maxRepetitions)),
            ]
        }
    }

    /// A parameters node as JSON, for the journal.
    public static func json(_ node: PlanNode) -> [String: JSONValue] {
        guard let entries = node.entries else { return [:] }
        var out: [String: JSONValue] = [:]
        for e in entries { out[e.key] = value(e.value) }
        return out
    }

    static func value(_ node: PlanNode) -> JSONValue {
        switch node.content {
        case .scalar(let s, _): return .string(s)
        case .sequence(let items): return .array(items.map(value))
        case .mapping: return .object(json(node))
        }
    }
}
