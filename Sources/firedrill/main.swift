import ArgumentParser

/// Temporary root command listing the sandbox commands; the real root replaces it.
struct FiredrillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "firedrill",
        abstract: "Chaos experiments and disaster-recovery drills.",
        subcommands: [SandboxCommand.self, SandboxWorkerCommand.self]
    )
}

/// Top-level code in main.swift picks the synchronous `main()`, which refuses async commands;
/// inside an async function the async overload is chosen.
func runFiredrill() async {
    await FiredrillCommand.main()
}

await runFiredrill()
