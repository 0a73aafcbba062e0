import ArgumentParser
import FiredrillSandbox

/// `firedrill sandbox-worker`: one worker of `firedrill sandbox`, started by its supervisor.
struct SandboxWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-worker",
        abstract: "Serve one sandbox worker (started by `firedrill sandbox`).",
        shouldDisplay: false
    )

    @Option(help: "Port to share on 127.0.0.1.")
    var port: UInt16

    @Option(help: "This worker's number, reported by /health.")
    var index: Int = 0

    @Option(name: .customLong("state-dir"), help: "Directory whose sandbox.log receives the worker-listening line.")
    var stateDirectory: String?

    func run() async throws {
        try await SandboxWorker.run(config: SandboxWorkerConfig(
            port: port, index: index, stateDirectory: stateDirectory, exitWhenOrphaned: true))
    }
}
