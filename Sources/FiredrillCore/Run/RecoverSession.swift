import Foundation

/// `firedrill recover RUN_DIR`: finishes what a run whose runner died left owed — every open undo (newest first),
/// then every rollback step that did not end `ok` — appending to the same journal so the chain stays whole.
public struct RecoverSession: Sendable {
    public let runDirectory: String
    public let drivers: any DriverSet
    public let observer: (any RunObserver)?

    public init(runDirectory: String, drivers: any DriverSet, observer: (any RunObserver)?) {
        self.runDirectory = runDirectory
        self.drivers = drivers
        self.observer = observer
    }

    /// What recovery did.
    public struct Outcome: Sendable {
        public var undone: Int
        public var rollbacksRun: Int
        public var failures: Int
        public var nothingToDo: Bool
    }

    public func recover() async throws -> Outcome {
        let manifest = try RunManifest.read(from: runDirectory)
        let journalURL = URL(fileURLWithPath: runDirectory + "/" + Journal.fileName)
        let contents: JournalContents
        do {
            contents = try JournalReader.read(at: journalURL)
        } catch {
            throw RunError("cannot read \(journalURL.path): \(error)")
        }
        let pending = RunDirectory.pendingUndos(in: contents.events)
        let planPath = runDirectory + "/" + RunManifest.planCopyName
        // Lenient about overrides: recovering a run must not fail over a --var that an older Firedrill accepted.
        let loaded = PlanLoader.load(path: planPath, overrides: manifest.overrides, strictOverrides: false)
        guard let plan = loaded.plan else {
            throw RunError("the plan copy in \(planPath) does not load:\n\(loaded.rendered())")
        }
        let finishedRollbacks = Set(contents.events.filter {
            $0.type == "step.ended" && $0.data["phase"]?.stringValue == "rollbacks" && $0.data["status"]?.stringValue == "ok"
        }.compactMap(\.step))
        let injected = contents.events.contains { $0.type == "phase.started" && ["method", "disaster"].contains($0.data["phase"]?.stringValue ?? "") }
        let rollbacksOwed = manifest.rollbacks != .never && injected
            ? plan.rollbacks.filter { !finishedRollbacks.contains($0.name) } : []
        if pending.isEmpty, rollbacksOwed.isEmpty {
            return Outcome(undone: 0, rollbacksRun: 0, failures: 0, nothingToDo: true)
        }

        let journal: Journal
        do {
            journal = try Journal.open(existing: journalURL)
        } catch {
            throw RunError("cannot append to \(journalURL.path): \(error)")
        }
        let resolver = (try? Resolver.forPlan(plan, readSecrets: true)) ?? Resolver.forPlanWithoutSecrets(plan)
        let recorder = RunRecorder(journal: journal, observer: observer, secrets: resolver.secretValues)
        try await recorder.record("recover.started", [
            "initiator": .string(RunSession.initiator()), "pending-undos": .number(Double(pending.count)),
            "pending-rollbacks": .array(rollbacksOwed.map { .string($0.name) }),
        ])
        let ledger = UndoLedger(recorder: recorder, startingAt: (pending.map(\.token.id).max() ?? 0) + 1)
        for entry in pending { await ledger.adopt(entry) }
        var failures = await UndoExecutor(drivers: drivers, recorder: recorder, control: nil).undo(pending.reversed(), ledger: ledger)
        let runner = StepRunner(drivers: drivers, resolver: resolver, results: StepResults(), recorder: recorder, ledger: ledger,
                                maxTargets: plan.limits.maxTargets, runLimit: plan.limits.duration)
        failures += try await runner.run(rollbacksOwed, phase: "rollbacks", keepGoing: true).count
        await recorder.note("recover.ended", ["failures": .number(Double(failures))])
        return Outcome(undone: pending.count, rollbacksRun: rollbacksOwed.count, failures: failures, nothingToDo: false)
    }
}

extension Resolver {
    /// A resolver without secret values, when secrets are unavailable during recovery.
    public static func forPlanWithoutSecrets(_ plan: Plan) -> Resolver {
        (try? forPlan(plan, readSecrets: false)) ?? Resolver()
    }
}
