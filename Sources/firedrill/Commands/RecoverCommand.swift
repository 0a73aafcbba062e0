import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillDrivers
import FiredrillReport

/// `firedrill recover RUN_DIR` — finish the undos and rollbacks of a run whose runner died.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Finish every pending undo and rollback of a run whose runner was killed.",
        discussion: """
        Refuses (exit 3) while the run is live: a runner holds its run directory's lock for as long as it lives.
        Undos of rollback and failback steps are never owed, so a completed restoration is never reversed. A
        command step's process group that is still running is ended. A torn last journal line is cut off and the
        cut journaled. On a terminal it lists what it will do and asks first, unless --yes.
        With no run directory it looks under the reports root: the one run that owes work is recovered; several
        are listed with what each owes, and one must be named.
        """
    )

    @Argument(help: "The run directory (reports/<time>-<plan>); with --from-store, a run id or a plan name. Default: the one run under --reports that owes work.")
    var runDirectory: String?

    @Flag(name: .customLong("from-store"), help: "Find the run directory in the history store: by run id, or the plan's latest unfinished run.")
    var fromStore = false

    @Option(name: .customLong("reports"), help: "Reports root (where the default SQLite store lives).")
    var reportsRoot: String = "reports"

    @OptionGroup var storeOptions: StoreOptions

    @OptionGroup var signing: SigningOptions

    @Flag(name: .customLong("dry-run"), help: "Print exactly what would be undone and run, and change nothing.")
    var dryRun = false

    @Flag(name: .customLong("yes"), help: "Do not ask for confirmation on a terminal.")
    var yes = false

    @Option(name: .customLong("operator"), help: "Who is recovering, for the record (default: $FIREDRILL_OPERATOR; the OS user and host are recorded either way).")
    var operatorName: String?

    func validate() throws {
        if fromStore, runDirectory == nil { throw ValidationError("--from-store needs a run id or a plan name") }
        if let name = operatorName, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--operator needs a name (or leave it out: $FIREDRILL_OPERATOR, then the OS user, is recorded)")
        }
    }

    func run() async throws {
        let runDirectory: String
        if let given = self.runDirectory {
            runDirectory = fromStore ? try await StoredRun.directory(of: given, options: storeOptions, reportsRoot: reportsRoot) : given
        } else {
            runDirectory = try onlyRunOwingWork()
        }
        var session = RecoverSession(runDirectory: runDirectory, drivers: DriverRegistry(), catalog: BuiltinDrivers.catalog, observer: PlainConsole())
        session.runOperator = RunOperator.current(flag: operatorName)
        session.signing = try signing.signing()
        if dryRun {
            let owed: RecoverSession.Owed
            do {
                owed = try session.owed()
            } catch {
                Console.error("\(error)")
                throw ExitStatus.failed
            }
            if owed.isEmpty {
                print("nothing to recover: \(runDirectory) owes no undo and no rollback")
            } else {
                print("firedrill recover \(runDirectory) would, in this order:")
                for line in owed.lines { print("  - \(line)") }
                print("(dry run: nothing was changed)")
            }
            return
        }
        let ask = !yes && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
        let dir = runDirectory
        let outcome: RecoverSession.Outcome
        do {
            outcome = try await session.recover { owed in
                guard ask else { return true }
                print("firedrill recover \(dir) will, in this order:")
                for line in owed.lines { print("  - \(line)") }
                print("Proceed? [y/N] ", terminator: "")
                fflush(nil)
                let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                return answer == "y" || answer == "yes"
            }
        } catch is CancellationError {
            print("not confirmed: nothing was changed")
            throw ExitStatus.failed
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
        if outcome.nothingToDo {
            print("nothing to recover: \(runDirectory) owes no undo and no rollback")
            return
        }
        _ = try? ReportWriter.write(runDirectory: runDirectory)
        if fromStore { await StoredRun.update(runDirectory, options: storeOptions, reportsRoot: reportsRoot) }
        if outcome.repairedTornTail { print("repaired the journal: its torn last line was cut off and the cut journaled") }
        print("recovered: \(outcome.undone) undo(s), \(outcome.rollbacksRun) rollback step(s), \(outcome.failures) failure(s)")
        if let why = outcome.rollbacksUnknown {
            Console.error("the rollback steps were NOT run: \(why); run them by hand")
            throw ExitStatus.failed
        }
        if outcome.failures > 0 { throw ExitStatus.failed }
    }

    /// The one run under the reports root that owes undos or rollbacks (or never ended after injecting) and whose
    /// runner is gone. None: nothing to do (exit 0). Several, or only live ones: each is listed, and none is chosen.
    func onlyRunOwingWork() throws -> String {
        let runs = RunDirectory.unfinishedRuns(under: reportsRoot, planName: nil)
        if runs.isEmpty {
            print("nothing to recover under \(reportsRoot): no run owes an undo or a rollback")
            throw ExitStatus.passed
        }
        if runs.count == 1, let only = runs.first, !only.isLive {
            // Written at once, not buffered, so it comes before the recovery's own lines in a log.
            StandardStreams.out("recovering \(only.directory): the only run under \(reportsRoot) that owes work\n")
            return only.directory
        }
        Console.error("\(runs.count) unfinished run\(runs.count == 1 ? "" : "s") under \(reportsRoot); name the one to recover (firedrill recover DIR):")
        for run in runs {
            if case .held(let holder) = run.live {
                StandardStreams.err("  \(RecoverSession.LiveRun(runDirectory: run.directory, holder: holder))\n")
            } else if run.pending.isEmpty {
                StandardStreams.err("  \(run.directory): never ended after injecting: its rollbacks are owed\n")
            } else {
                let owed = run.pending.map(\.action.description).joined(separator: "; ")
                StandardStreams.err("  \(run.directory): owes \(run.pending.count) undo\(run.pending.count == 1 ? "" : "s"): \(owed)\n")
            }
        }
        throw ExitStatus.failed
    }
}
