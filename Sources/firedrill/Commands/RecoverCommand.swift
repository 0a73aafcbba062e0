import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillReport

/// `firedrill recover RUN_DIR` — finish the undos and rollbacks of a run whose runner died.
struct RecoverCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Finish every pending undo and rollback of a run whose runner was killed."
    )

    @Argument(help: "The run directory (reports/<time>-<plan>).")
    var runDirectory: String

    func run() async throws {
        let session = RecoverSession(runDirectory: runDirectory, drivers: DriverRegistry(), observer: PlainConsole())
        let outcome: RecoverSession.Outcome
        do {
            outcome = try await session.recover()
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
        if outcome.nothingToDo {
            print("nothing to recover: \(runDirectory) owes no undo and no rollback")
            return
        }
        _ = try? ReportWriter.write(runDirectory: runDirectory)
        print("recovered: \(outcome.undone) undo(s), \(outcome.rollbacksRun) rollback step(s), \(outcome.failures) failure(s)")
        if outcome.failures > 0 { throw ExitStatus.failed }
    }
}
