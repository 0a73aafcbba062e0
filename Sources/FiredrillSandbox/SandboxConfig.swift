/// Settings of `firedrill sandbox`: N workers sharing one port on 127.0.0.1 under a supervisor
/// that restarts them.
public struct SandboxConfig: Sendable, Equatable {
    public static let defaultPort: UInt16 = 18080
    public static let defaultWorkers = 3
    public static let defaultRestartDelay: Duration = .seconds(1)
    /// The most workers one supervisor runs.
    public static let maximumWorkers = 64

    /// Port every worker binds (with `SO_REUSEPORT`).
    public var port: UInt16
    public var workers: Int
    /// Time between a worker's death and its replacement.
    public var restartDelay: Duration
    /// Holds `supervisor.pid`, `worker-<i>.pid` and `sandbox.log`; created if missing.
    public var stateDirectory: String
    /// The program that runs one worker, e.g. `[<firedrill>, "sandbox-worker"]`. The supervisor
    /// appends `--port P --index I --state-dir DIR` (see ``workerArguments(index:)``).
    public var workerCommand: [String]
    /// How long stopping waits for workers to exit after `SIGTERM` before `SIGKILL`.
    public var stopTimeout: Duration

    public init(
        stateDirectory: String,
        workerCommand: [String],
        port: UInt16 = SandboxConfig.defaultPort,
        workers: Int = SandboxConfig.defaultWorkers,
        restartDelay: Duration = SandboxConfig.defaultRestartDelay,
        stopTimeout: Duration = .seconds(5)
    ) {
        self.stateDirectory = stateDirectory
        self.workerCommand = workerCommand
        self.port = port
        self.workers = workers
        self.restartDelay = restartDelay
        self.stopTimeout = stopTimeout
    }

    public func validate() throws(SandboxError) {
        guard port > 0 else { throw SandboxError.invalidConfig(field: "port", value: "\(port)", reason: "use 1-65535") }
        guard (1...Self.maximumWorkers).contains(workers) else {
            throw SandboxError.invalidConfig(field: "workers", value: "\(workers)", reason: "use 1-\(Self.maximumWorkers)")
        }
        guard restartDelay >= .zero else {
            throw SandboxError.invalidConfig(field: "restart delay", value: "\(restartDelay)", reason: "must not be negative")
        }
        guard !stateDirectory.isEmpty else {
            throw SandboxError.invalidConfig(field: "state directory", value: "", reason: "give a directory")
        }
        guard let program = workerCommand.first, !program.isEmpty else {
            throw SandboxError.invalidConfig(field: "worker command", value: "", reason: "give the worker program")
        }
    }

    /// The full argv of worker `index`.
    public func workerArguments(index: Int) -> [String] {
        workerCommand + ["--port", "\(port)", "--index", "\(index)", "--state-dir", stateDirectory]
    }

    public var logPath: String { Self.logPath(in: stateDirectory) }
    public var supervisorPIDPath: String { stateDirectory + "/supervisor.pid" }
    public func workerPIDPath(index: Int) -> String { stateDirectory + "/worker-\(index).pid" }

    public static func logPath(in stateDirectory: String) -> String { stateDirectory + "/sandbox.log" }

    /// Parses `250ms`, `1s`, `1.5s`, `2m`; `nil` for anything else (a bare number included).
    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(suffix: String, milliseconds: Double)] = [("ms", 1), ("s", 1000), ("m", 60_000)]
        for unit in units where text.hasSuffix(unit.suffix) {
            let number = text.dropLast(unit.suffix.count)
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
                  let value = Double(number), value.isFinite, value >= 0
            else { return nil }
            return .milliseconds(Int64((value * unit.milliseconds).rounded()))
        }
        return nil
    }
}
