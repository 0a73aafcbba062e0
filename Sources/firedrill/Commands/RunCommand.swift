import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillReport

/// `firedrill run PLAN` — run an experiment or drill for real.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a plan: steady state, faults under guards, rollbacks on every ending, a journal and a report.",
        discussion: """
        Ctrl-C cancels the method and rolls back; a second Ctrl-C shows what is still running; a third exits and
        leaves the rest for `firedrill recover RUN_DIR`.
        Exit codes: 0 passed, 1 deviated or not started, 2 aborted, 3 failed, 4 invalid plan, 130 interrupted.
        """
    )

    @OptionGroup var planArguments: PlanArguments

    @Option(name: .customLong("report-dir"), help: "Write the run here instead of reports/<UTC time>-<plan>/.")
    var reportDir: String?

    @Option(name: .customLong("reports"), help: "Root folder of run directories.")
    var reportsRoot: String = "reports"

    @Option(help: "When rollbacks run: always, on-failure or never.")
    var rollbacks: RollbackPolicy = .always

    @Option(name: .customLong("note"), help: "An operator note for the report (repeatable).")
    var notes: [String] = []

    @Flag(help: "Start even though an earlier run of this plan still owes undos or rollbacks.")
    var force = false

    @Flag(name: .customLong("allow-production"), help: "Allow a plan whose environment is production.")
    var allowProduction = false

    @Flag(help: "Stream journal events as JSON lines on stdout.")
    var json = false

    @Flag(help: "Print only the ending.")
    var quiet = false

    func run() async throws {
        let (loaded, overrides) = try planArguments.load()
        let plan = try await ProductionSafety.admit(loaded, allowProduction: allowProduction)
        if !force, reportDir == nil {
            let unfinished = RunDirectory.unfinishedRuns(under: reportsRoot, planName: plan.name)
            if !unfinished.isEmpty {
                for u in unfinished {
                    let owed = u.pending.map { "    - \($0.action.description)" }.joined(separator: "\n")
                    Console.error("\(u.directory): an earlier run of \(plan.name) did not finish cleanly" + (u.pending.isEmpty ? "" : "; it still owes:\n\(owed)"))
                }
                Console.error("refusing to start: run `firedrill recover RUN_DIR` for each run above, or pass --force")
                throw ExitStatus.failed
            }
        }
        let observer: (any RunObserver)?
        var live: LiveConsole?
        if quiet {
            observer = nil
        } else if json {
            observer = JSONConsole()
        } else if isatty(STDOUT_FILENO) == 1 {
            live = LiveConsole()
            observer = live
        } else {
            observer = PlainConsole()
        }
        let control = RunControl()
        let session = RunSession(plan: plan, overrides: overrides, drivers: DriverRegistry(), observer: observer, control: control)
        let prepared: (RunOptions, RunRecorder, Resolver)
        do {
            prepared = try session.prepare(reportsRoot: reportsRoot, runDirectory: reportDir, rollbacks: rollbacks, notes: notes)
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
        let signals = SignalHandler(control: control, runDirectory: prepared.0.runDirectory)
        signals.install()
        let summary = try await session.run(options: prepared.0, recorder: prepared.1, resolver: prepared.2)
        live?.finish()
        var reportPaths: [String] = []
        do {
            reportPaths = try ReportWriter.write(runDirectory: summary.runDirectory)
        } catch {
            Console.error("could not write the report: \(error)")
        }
        if json {
            FileHandle.standardError.write(Data("\(summary.ending.rawValue): \(summary.reason)\n".utf8))
        } else {
            print("")
            print("\(summary.ending.rawValue.uppercased()): \(summary.reason)")
            print(summary.rollback.rawValue + (summary.recoveredAfterRollback.map { $0 ? "; steady state holds again" : "; steady state NOT restored" } ?? ""))
            if !quiet {
                print("run directory: \(summary.runDirectory)")
                for p in reportPaths { print("report: \(p)") }
            }
        }
        throw ExitCode(summary.ending.exitCode)
    }
}

extension RollbackPolicy: ExpressibleByArgument {}
