import Foundation

/// `firedrill recover RUN_DIR`: finishes what a run whose runner died left owed — every open undo (newest first;
/// a command's process group that is still running is ended), then every rollback step that did not end `ok` —
/// appending to the same journal so the chain stays whole. A torn last line is cut off and the cut journaled.
///
/// It never touches a live run: it takes the run directory's lock (`runner.lock`) that a live runner holds for as
/// long as it lives, and refuses while another process holds it. Undos of restorations (rollback and failback
/// steps) are never owed, so a completed failback is never reversed.
public struct RecoverSession: Sendable {
    public let runDirectory: String
    public let drivers: any DriverSet
    public let observer: (any RunObserver)?
    /// Signs the checkpoints and seal `recover` appends; unsigned when nil (verify then says which events are not signed).
    public var signing: JournalSigning = .unsigned

    /// The drivers the plan copy may name.
    public let catalog: DriverCatalog
    /// Who runs `recover` (`--operator` or `$FIREDRILL_OPERATOR`, and the OS user), journaled in `recover.started`.
    public var runOperator: RunOperator = .current(flag: nil)

    public init(runDirectory: String, drivers: any DriverSet, catalog: DriverCatalog, observer: (any RunObserver)?) {
        self.catalog = catalog
        self.runDirectory = runDirectory
        self.drivers = drivers
        self.observer = observer
    }

    /// What a run still owes, read without changing anything.
    public struct Owed: Sendable {
        /// Open undos, oldest first (they are carried out newest first).
        public var undos: [UndoLedger.Entry]
        /// Rollback steps that did not end `ok` in a run that injected something.
        public var rollbacks: [Step]
        /// The journal's last line is torn: its byte count (it is cut off and the cut journaled).
        public var tornTailBytes: Int?
        /// The plan as it was run; nil when its copy no longer loads (then the undos still run, the rollbacks cannot).
        public var plan: Plan?
        /// Why the plan copy does not load, when it does not and rollbacks may be owed: they must be run by hand.
        public var rollbacksUnknown: String?
        /// The journal does not end with a seal: `recover` seals it.
        public var unsealed = false

        public var isEmpty: Bool { undos.isEmpty && rollbacks.isEmpty && tornTailBytes == nil && rollbacksUnknown == nil && !unsealed }

        /// One line per action, in the order `recover` carries them out.
        public var lines: [String] {
            var out: [String] = []
            if let bytes = tornTailBytes { out.append("cut the torn last line of the journal (\(bytes) bytes) and journal the cut") }
            out += undos.reversed().map { "undo #\($0.token.id) from step \($0.step): \($0.action.description)" }
            out += rollbacks.map { "rollback step \($0.name) (\($0.kindName))" }
            if let why = rollbacksUnknown { out.append("NOT run: the rollback steps, because \(why); run them by hand") }
            if unsealed { out.append("seal the journal (it does not end with a seal: the runner stopped before the end)") }
            return out
        }
    }

    /// A live process holds the run: `recover` refuses.
    public struct LiveRun: Error, Sendable, CustomStringConvertible {
        public var runDirectory: String
        public var holder: ProcessLock.Holder?

        public init(runDirectory: String, holder: ProcessLock.Holder?) {
            self.runDirectory = runDirectory
            self.holder = holder
        }

        public var description: String {
            "\(runDirectory) is in progress (" + (holder.map { "`firedrill \($0.command)`, \($0)" } ?? "a process that is starting")
                + "): recover never touches a live run; wait for it to end, or stop it (Ctrl-C rolls back)"
        }
    }

    /// What recovery did.
    public struct Outcome: Sendable {
        public var undone: Int
        public var rollbacksRun: Int
        public var failures: Int
        public var nothingToDo: Bool
        public var repairedTornTail: Bool
        /// Set when rollbacks may be owed but the plan copy does not load: they were not run.
        public var rollbacksUnknown: String?
    }

    /// What the run owes now, changing nothing (`recover --dry-run`). Throws `LiveRun` while a runner holds it.
    public func owed() throws -> Owed {
        if case .held(let holder) = ProcessLock.state(runDirectory + "/" + RunDirectory.lockFileName) {
            throw LiveRun(runDirectory: runDirectory, holder: holder)
        }
        return try survey()
    }

    private func survey() throws -> Owed {
        let manifest = try RunManifest.read(from: runDirectory)
        let journalURL = URL(fileURLWithPath: runDirectory + "/" + Journal.fileName)
        let contents: JournalContents
        do {
            contents = try JournalReader.read(at: journalURL)
        } catch {
            throw RunError("cannot read \(journalURL.path): \(error)")
        }
        var torn: Int?
        if let problem = contents.verification.problem {
            guard case .truncatedFinalLine(let bytes) = problem.kind else {
                throw RunError("\(journalURL.path) is invalid (\(problem)); recover does not extend a journal that fails verification: run `firedrill verify \(runDirectory)`")
            }
            torn = bytes
        }
        let planPath = runDirectory + "/" + RunManifest.planCopyName
        // Lenient about overrides: recovering a run must not fail over a --var that an older Firedrill accepted.
        let loaded = PlanLoader.load(path: planPath, catalog: catalog, overrides: manifest.overrides, strictOverrides: false)
        let injected = manifest.rollbacks != .never && RunDirectory.injected(in: contents.events)
        let pending = RunDirectory.pendingUndos(in: contents.events)
        guard let plan = loaded.plan else {
            // The undos are journaled as data and need no plan: a plan this release no longer accepts must not
            // stop them. Only the rollback steps cannot be known.
            let why = "the plan copy \(planPath) no longer loads (\(loaded.diagnostics.first?.headline ?? "invalid"))"
            return Owed(undos: pending, rollbacks: [], tornTailBytes: torn, plan: nil, rollbacksUnknown: injected ? why : nil,
                        unsealed: contents.events.last?.is(.journalSealed) != true)
        }
        let finishedRollbacks = Set(contents.events.filter {
            StepEndedRecord($0).map { $0.phase == "rollbacks" && $0.status == "ok" } ?? false
        }.compactMap(\.step))
        let rollbacksOwed = injected ? plan.rollbacks.filter { !finishedRollbacks.contains($0.name) } : []
        return Owed(undos: pending, rollbacks: rollbacksOwed, tornTailBytes: torn, plan: plan, rollbacksUnknown: nil,
                    unsealed: contents.events.last?.is(.journalSealed) != true)
    }

    /// Takes the run's lock, then carries out what it owes once `confirm` (shown the list) agrees.
    /// - Throws: `LiveRun` while another process holds the run directory.
    public func recover(confirm: @Sendable (Owed) async -> Bool = { _ in true }) async throws -> Outcome {
        let lock: ProcessLock
        do {
            lock = try ProcessLock.acquire(runDirectory + "/" + RunDirectory.lockFileName,
                                           holder: .init(command: "recover", runDirectory: runDirectory))
        } catch let held as ProcessLock.Held {
            throw LiveRun(runDirectory: runDirectory, holder: held.holder)
        }
        defer { withExtendedLifetime(lock) {} }
        let owed = try survey()
        if owed.isEmpty {
            return Outcome(undone: 0, rollbacksRun: 0, failures: 0, nothingToDo: true, repairedTornTail: false, rollbacksUnknown: nil)
        }
        guard await confirm(owed) else { throw CancellationError() }

        let journalURL = URL(fileURLWithPath: runDirectory + "/" + Journal.fileName)
        let journal: Journal
        do {
            // Opening cuts a torn last line and journals `journal.torn-line-discarded`.
            journal = try Journal.open(existing: journalURL, signing: signing)
        } catch {
            throw RunError("cannot append to \(journalURL.path): \(error)")
        }
        let plan = owed.plan
        let pending = owed.undos
        let resolver = plan.map { (try? Resolver.forPlan($0, readSecrets: true)) ?? Resolver.forPlanWithoutSecrets($0) } ?? Resolver()
        let recorder = RunRecorder(journal: journal, observer: observer, secrets: resolver.secretValues)
        try await recorder.record(.recoverStarted, [
            "initiator": .string(RunSession.initiator()), "operator": runOperator.json, "pending-undos": .number(Double(pending.count)),
            "pending-rollbacks": .array(owed.rollbacks.map { .string($0.name) }),
            "repaired-torn-tail": owed.tornTailBytes.map { .number(Double($0)) } ?? .null,
            "rollbacks-unknown": owed.rollbacksUnknown.map { .string($0) } ?? .null,
        ])
        let ledger = UndoLedger(recorder: recorder, startingAt: (pending.map(\.token.id).max() ?? 0) + 1)
        for entry in pending { await ledger.adopt(entry) }
        var failures = await UndoExecutor(drivers: drivers, recorder: recorder, control: nil).undo(pending.reversed(), ledger: ledger)
        let limits = plan?.limits ?? Limits()
        var runner = StepRunner(drivers: drivers, resolver: resolver, results: StepResults(), recorder: recorder, ledger: ledger,
                                maxTargets: limits.maxTargets, runLimit: limits.duration)
        // An operator step among the owed rollbacks is answered with `firedrill confirm`, as during the run.
        runner.runDirectory = runDirectory
        failures += try await runner.run(owed.rollbacks, phase: "rollbacks", keepGoing: true).count
        await recorder.note(.recoverEnded, ["failures": .number(Double(failures))])
        await RunSession.seal(recorder, by: "recover")
        return Outcome(undone: pending.count, rollbacksRun: owed.rollbacks.count, failures: failures, nothingToDo: false,
                       repairedTornTail: owed.tornTailBytes != nil, rollbacksUnknown: owed.rollbacksUnknown)
    }
}

extension Resolver {
    /// A resolver without secret values, when secrets are unavailable during recovery.
    public static func forPlanWithoutSecrets(_ plan: Plan) -> Resolver {
        (try? forPlan(plan, readSecrets: false)) ?? Resolver()
    }
}
