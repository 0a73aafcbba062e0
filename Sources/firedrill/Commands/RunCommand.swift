import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillDrivers
import FiredrillReport
import FiredrillStore

/// `firedrill run PLAN` — run an experiment or drill for real.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a plan: steady state, faults under guards, rollbacks on every ending, a journal and a report.",
        discussion: """
        Ctrl-C (or SIGTERM, SIGQUIT, SIGHUP from a closed terminal, a closed output pipe) cancels the method and
        rolls back; a second Ctrl-C shows what is still running; a third exits and leaves the rest for
        `firedrill recover RUN_DIR`. One run of a plan, and one run per target, at a time per reports folder unless --concurrent.
        Exit codes: 0 passed, 1 deviated or not started, 2 aborted, 3 failed (also: refused, or the journal could
        not be written), 4 invalid plan, 5 inconclusive, 130 interrupted.
        """
    )

    @OptionGroup var planArguments: PlanArguments

    @Option(name: .customLong("report-dir"), help: "Write the run here instead of reports/<UTC time>-<plan>/.")
    var reportDir: String?

    @Option(name: .customLong("reports"), help: "Root folder of run directories; its index and plan locks cover --report-dir runs too.")
    var reportsRoot: String = "reports"

    @Option(help: "When rollbacks run: always, on-failure or never.")
    var rollbacks: RollbackPolicy = .always

    @Option(name: .customLong("note"), help: "An operator note for the report (repeatable).")
    var notes: [String] = []

    @Option(name: .customLong("operator"), help: "Who runs the drill, for the record (default: $FIREDRILL_OPERATOR; the OS user and host are recorded either way).")
    var operatorName: String?

    @Flag(help: "Start even though an earlier run of this plan still owes undos or rollbacks.")
    var force = false

    @Flag(help: "Start even though another run of this plan, or a run acting on one of its targets (on this machine, or anywhere sharing a PostgreSQL store), is in progress.")
    var concurrent = false

    @Flag(name: .customLong("allow-production"), help: "Allow a plan whose environment is production.")
    var allowProduction = false

    @Flag(help: "Stream journal events as JSON lines on stdout.")
    var json = false

    @Flag(help: "Print only the ending.")
    var quiet = false

    @OptionGroup var storeOptions: StoreOptions

    @Flag(name: .customLong("no-store"), help: "Do not record the run in the history store (nor consult it).")
    var noStore = false

    @OptionGroup var signing: SigningOptions

    @Option(name: .customLong("anchor-file"), help: "Append the journal's head, event count and seal to this file (one JSON line per run), kept outside the run directory.")
    var anchorFile: String?

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "The configuration file: protected-environments, and a notify: list told about every run with the plan's.",
        discussion: "Default: $FIREDRILL_CONFIG, else firedrill.yaml beside the plan when there is one."))
    var configFile: String?

    @Option(name: .customLong("metrics-file"), help: "Write Prometheus metrics of the plan's runs here (node_exporter textfile collector).")
    var metricsFile: String?

    func validate() throws {
        if let name = operatorName, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--operator needs a name (or leave it out: $FIREDRILL_OPERATOR, then the OS user, is recorded)")
        }
    }

    func run() async throws {
        // First of all: from here on no signal can kill the runner with its default action.
        let control = RunControl()
        SignalHandler(control: control).install()
        let journalSigning = try signing.signing()
        let (loaded, overrides) = try planArguments.load()
        let plan = try await ProductionSafety.admit(loaded, allowProduction: allowProduction, configFile: configFile)
        let config = try RunConfigFile.load(configFile, planPath: loaded.path)
        var planLock: ProcessLock?
        var targetLocks: [ProcessLock] = []
        // What the plan acts on, resolved once for this machine's locks and the shared store's.
        let targets = concurrent ? [] : PlanTargets.targets(of: plan)
        if !concurrent {
            do {
                planLock = try ProcessLock.acquire(RunDirectory.planLockPath(root: reportsRoot, planName: plan.name),
                                                   holder: .init(command: "run", runDirectory: nil))
            } catch let held as ProcessLock.Held {
                Console.error(Self.inProgress(plan.name, directory: held.holder?.runDirectory, holder: held.holder) + "; refusing to start a second run (pass --concurrent to allow it)")
                throw ExitStatus.failed
            } catch let error as RunError {
                Console.error("\(error); refusing to start: nothing was injected. Point --reports at a folder this user can write")
                throw ExitStatus.failed
            }
            targetLocks = try lockTargetsHere(targets, plan: plan.name)
        }
        let store = noStore ? nil : try await RunStoreHook.open(storeOptions, reportsRoot: reportsRoot)
        if let store, !concurrent {
            try await store.lockPlan(plan.name)
            try await store.lockTargets(targets, plan: plan.name)
        }
        try refuseIfEarlierRunsOwe(plan.name)
        if let store { try await refuseIfStoreRunsOwe(plan.name, store: store) }
        let notify = try await RunNotifyHook.announce(plan, config: config)
        if let signal = await control.interruptedBy {
            Console.error("\(signal) before the run started: nothing was injected")
            throw ExitStatus.interrupted
        }
        let observer: (any RunObserver)?
        var live: LiveConsole?
        if quiet {
            observer = nil
        } else if json {
            observer = JSONConsole()
        } else if isatty(STDOUT_FILENO) == 1 {
            live = LiveConsole(recoveredDeadline: plan.recovered?.timeout)
            observer = live
        } else {
            observer = PlainConsole(recoveredDeadline: plan.recovered?.timeout)
        }
        var session = RunSession(plan: plan, overrides: overrides, drivers: DriverRegistry(),
                                 observer: notify.map { $0.observer(wrapping: observer, control: control) } ?? observer, control: control)
        session.runOperator = RunOperator.current(flag: operatorName)
        session.recordSources = ToolProbe()
        session.signing = journalSigning
        let prepared: (RunOptions, RunRecorder, Resolver)
        do {
            prepared = try session.prepare(reportsRoot: reportsRoot, runDirectory: reportDir, rollbacks: rollbacks, notes: notes)
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
        await notify?.attach(prepared.1)
        if let store { try await store.recordStart(runDirectory: prepared.0.runDirectory, environment: plan.environment) }
        await control.setRunDirectory(prepared.0.runDirectory)
        planLock?.record(.init(command: "run", runDirectory: prepared.0.runDirectory))
        for lock in targetLocks { lock.record(.init(command: "run", runDirectory: prepared.0.runDirectory, plan: plan.name)) }
        var options = prepared.0
        if !quiet, !json, isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 {
            // A person at the terminal can answer `manual` steps here; `firedrill confirm` works either way.
            options.terminal = TerminalOperator(operatorName: options.initiator)
        }
        if let notify {
            // The ending is told, and deliveries still in flight are drained, before the seal: their journal lines
            // belong inside the sealed record.
            session.beforeSeal = { summary in
                await notify.runEnded(summary, objectives: (try? RunRecord.read(runDirectory: summary.runDirectory).objectives) ?? [])
            }
        }
        let summary = try await session.run(options: options, recorder: prepared.1, resolver: prepared.2)
        live?.finish()
        if let anchorFile { Self.anchor(summary.runDirectory, plan: plan.name, to: anchorFile) }
        var reportPaths: [String] = []
        do {
            reportPaths = try ReportWriter.write(runDirectory: summary.runDirectory)
        } catch {
            Console.error("could not write the report: \(error)")
        }
        await store?.recordEnd(runDirectory: summary.runDirectory)
        if let metricsFile { await MetricsWriter.write(metricsFile, runDirectory: summary.runDirectory, store: store?.store) }
        await store?.store.close()
        if json {
            StandardStreams.err("\(summary.ending.rawValue): \(summary.reason)\n")
        } else {
            print("")
            print("\(summary.ending.rawValue.uppercased()): \(summary.reason)")
            print(summary.rollback.rawValue + (summary.recoveredAfterRollback.map { $0 ? "; steady state holds again" : "; steady state NOT restored" } ?? ""))
            if !quiet {
                for line in summary.events.first(where: { $0.is(.runRecord) }).map(EventLine.record) ?? [] { print(line) }
                print(JournalSummaryLine.text(runDirectory: summary.runDirectory))
                print("run directory: \(summary.runDirectory)")
                for p in reportPaths { print("report: \(p)") }
            }
        }
        if let failure = summary.journalFailure {
            Console.error("THE JOURNAL IS INCOMPLETE: a write failed (\(failure)); nothing was injected after it and rollbacks ran regardless. Check the disk, then `firedrill recover \(summary.runDirectory)` finishes anything still owed.")
        }
        withExtendedLifetime((planLock, targetLocks)) {}
        throw ExitCode(summary.exitCode)
    }

    /// Appends the run's anchor line; a failure is reported, the run's outcome stands.
    static func anchor(_ runDirectory: String, plan: String, to file: String) {
        do {
            let contents = try JournalReader.read(at: URL(fileURLWithPath: runDirectory + "/" + Journal.fileName))
            try JournalAnchor(runDirectory: runDirectory, plan: plan, contents: contents).append(to: file)
        } catch {
            Console.error("could not anchor the journal in \(file): \(error)")
        }
    }

    /// Takes this machine's lock on each target the plan's acting steps name (`LocalTargetLocks`); refused (exit 3)
    /// when another run here, of any plan, holds one of them.
    func lockTargetsHere(_ targets: [PlanTarget], plan: String) throws -> [ProcessLock] {
        let outcome: LocalTargetLocks.Outcome
        do {
            outcome = try LocalTargetLocks.acquire(targets, plan: plan, root: reportsRoot)
        } catch {
            Console.error("\(error); refusing to start: nothing was injected. Point --reports at a folder this user can write")
            throw ExitStatus.failed
        }
        switch outcome {
        case .acquired(let locks):
            return locks
        case .held(let target, let holder):
            let who = holder.map { h in (h.plan.map { "a run of \($0)" } ?? "a run") + " (\(h))" + (h.runDirectory.map { " in \($0)" } ?? "") } ?? "a run that is starting"
            Console.error("\(target.text) is being acted on by \(who); refusing to start \(plan): nothing was injected (pass --concurrent to allow it)")
            throw ExitStatus.failed
        }
    }

    /// "run DIR of PLAN is in progress (pid N on HOST since T)".
    static func inProgress(_ plan: String, directory: String?, holder: ProcessLock.Holder?) -> String {
        "run \(directory.map { $0 + " " } ?? "")of \(plan) is " + (holder.map { "in progress (\($0))" } ?? "starting")
    }

    /// Refuses (exit 3) while an earlier run of the plan is live (unless --concurrent) or died owing undos or
    /// rollbacks (unless --force): under the reports root and wherever its index says runs were written.
    func refuseIfEarlierRunsOwe(_ planName: String) throws {
        var refuse = false
        for earlier in RunDirectory.unfinishedRuns(under: reportsRoot, planName: planName, excluding: reportDir) {
            if case .held(let holder) = earlier.live {
                Console.error(Self.inProgress(planName, directory: earlier.directory, holder: holder))
                refuse = refuse || !concurrent
                continue
            }
            let owed = earlier.pending.map { "    - \($0.action.description)" }.joined(separator: "\n")
            Console.error("\(earlier.directory): an earlier run of \(planName) did not finish cleanly" + (earlier.pending.isEmpty ? "" : "; it still owes:\n\(owed)"))
            refuse = refuse || !force
        }
        if refuse {
            Console.error("refusing to start: wait for the run in progress (or pass --concurrent), and run `firedrill recover RUN_DIR` for each unfinished run above (or pass --force)")
            throw ExitStatus.failed
        }
    }

    /// Refuses (exit 3, unless --force) when the store knows runs of the plan that another machine left owing.
    func refuseIfStoreRunsOwe(_ planName: String, store: RunStoreHook) async throws {
        let owed = try await store.runsOwedElsewhere(planName)
        for record in owed {
            Console.error("\(record.runDirectory) (run by \(record.runBy), started \(record.startedAt), recorded in the store \(store.store.description)): an earlier run of \(planName) "
                + (record.ending == nil ? "never recorded its end" : "still owes \(record.owedUndos) undo(s)"))
        }
        if !owed.isEmpty, !force {
            Console.error("refusing to start: run `firedrill recover RUN_DIR` where each run above ran (or pass --force)")
            throw ExitStatus.failed
        }
    }
}

extension RollbackPolicy: ExpressibleByArgument {}
