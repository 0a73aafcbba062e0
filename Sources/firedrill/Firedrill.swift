import ArgumentParser
import FiredrillCore

/// The `firedrill` command: chaos experiments and disaster-recovery drills from YAML plans.
@main
struct Firedrill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firedrill",
        abstract: "Run chaos experiments and disaster-recovery drills, and prove what happened.",
        discussion: """
        Exit codes: 0 passed/valid, 1 deviated, 2 aborted, 3 failed, 4 invalid plan, 5 inconclusive, 130 interrupted.
        """,
        version: FiredrillBuild.summary,
        subcommands: [
            ValidateCommand.self,
            PlanCommand.self,
            SchemaCommand.self,
            ListCommand.self,
            CheckCommand.self,
            RunCommand.self,
            RecoverCommand.self,
            ConfirmCommand.self,
            VerifyCommand.self,
            KeyCommand.self,
            SignCommand.self,
            AnnotateCommand.self,
            ReportCommand.self,
            ImportCommand.self,
            HistoryCommand.self,
            DueCommand.self,
            ScheduleCommand.self,
            SandboxCommand.self,
            SandboxWorkerCommand.self,
            BenchJournalCommand.self,
            BenchStoreCommand.self,
        ]
    )
}
