import ArgumentParser
import FiredrillSandbox
import Foundation

/// `firedrill sandbox`: the local demo target, N HTTP workers sharing one port on 127.0.0.1
/// under a supervisor that restarts them.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the local demo service: HTTP workers on 127.0.0.1 under a restarting supervisor.",
        discussion: """
            Routes: GET /health, GET /, GET /slow?ms=N, GET /status/<code>.
            The state directory holds supervisor.pid, worker-<i>.pid and sandbox.log.
            Signals to the supervisor: SIGUSR1 disables restarts, SIGUSR2 enables them,
            SIGTERM or SIGINT stops everything.
            """
    )

    @Option(help: "Port the workers share on 127.0.0.1.")
    var port: UInt16 = SandboxConfig.defaultPort

    @Option(help: "Number of worker processes (1-\(SandboxConfig.maximumWorkers)).")
    var workers: Int = SandboxConfig.defaultWorkers

    @Option(name: .customLong("restart-delay"), help: "Time before a dead worker is replaced, e.g. 500ms or 1s.")
    var restartDelay: String = "1s"

    @Option(name: .customLong("state-dir"), help: "Directory for pid files and sandbox.log.")
    var stateDirectory: String = ".firedrill/sandbox"

    func run() async throws {
        guard let delay = SandboxConfig.parseDuration(restartDelay) else {
            throw ValidationError("--restart-delay \"\(restartDelay)\" is not a duration; use for example 500ms or 1s")
        }
        let directory = URL(fileURLWithPath: stateDirectory).standardizedFileURL.path
        let config = SandboxConfig(
            stateDirectory: directory,
            workerCommand: [Self.executablePath(), "sandbox-worker"],
            port: port, workers: workers, restartDelay: delay)
        try config.validate()
        FileHandle.standardOutput.write(Data(
            "sandbox: \(workers) workers on http://127.0.0.1:\(port) (supervisor pid \(getpid()), state in \(directory))\n".utf8))
        try await SandboxSupervisor.run(config: config)
    }

    /// This program's own file, so workers run the same build.
    static func executablePath() -> String {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") { return path }
        if let path = Bundle.main.executablePath { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}
