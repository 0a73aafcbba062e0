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
        """
    )

    @Argument(help: "The run directory (reports/<time>-<plan>); with --from-store, a run id or a plan name.")
    var runDirectory: String

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
        if let name = operatorName, name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("--operator needs a name (or leave it out: $FIREDRILL_OPERATOR, then the OS user, is recorded)")
        }
    }

    func run() async throws {
        let runDirectory = fromStore ? try await StoredRun.directory(of: self.runDirectory, options: storeOptions, reportsRoot: reportsRoot) : self.runDirectory
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
}
