import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs ``SandboxConfig/workers`` worker processes and restarts each one that dies after
/// ``SandboxConfig/restartDelay``.
///
/// State directory: `supervisor.pid`, `worker-<i>.pid` (present while worker i runs) and
/// `sandbox.log`, one line per event: `started`, `worker-started`, `worker-listening` (written
/// by the worker once its socket listens), `worker-exited`, `worker-spawn-failed`,
/// `restarts-disabled`, `restarts-enabled`, `stopping`, `stopped`.
///
/// Signals: `SIGUSR1` disables restarts, `SIGUSR2` enables them again (missing workers come
/// back after the delay), `SIGTERM`/`SIGINT` stop every worker and end ``run(config:)``.
public actor SandboxSupervisor {
    public let config: SandboxConfig
    private let log: SandboxEventLog

    /// Running workers by index.
    private var workers: [Int: pid_t] = [:]
    private var restartsEnabled = true
    private var stopping = false
    /// Bumped whenever scheduled restarts must be forgotten.
    private var generation = 0
    /// Index → generation of its scheduled restart.
    private var pendingRestarts: [Int: Int] = [:]
    private var stopWaiters: [CheckedContinuation<Void, Never>] = []
    private var isStopped = false
    private var signalSources: SignalSources?

    public init(config: SandboxConfig) throws(SandboxError) {
        try config.validate()
        self.config = config
        self.log = SandboxEventLog(path: config.logPath)
    }

    /// Starts the supervisor and returns once it has stopped (after `SIGTERM` or `SIGINT`).
    public static func run(config: SandboxConfig) async throws {
        let supervisor = try SandboxSupervisor(config: config)
        try await supervisor.start()
        await supervisor.waitUntilStopped()
    }

    /// Creates the state directory, installs the signal handlers and starts every worker.
    public func start() throws {
        do {
            try FileManager.default.createDirectory(atPath: config.stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw SandboxError.stateFile(path: config.stateDirectory, reason: error.localizedDescription)
        }
        try PIDFile.write(getpid(), to: config.supervisorPIDPath)
        record("started", [
            ("pid", "\(getpid())"), ("port", "\(config.port)"), ("workers", "\(config.workers)"),
            ("restart-delay-ms", "\(Self.milliseconds(config.restartDelay))"),
        ])
        signalSources = SignalSources { [weak self] signal in
            guard let self else { return }
            Task { await self.handle(signal: signal) }
        }
        do {
            for index in 0..<config.workers { try spawnWorker(index: index) }
        } catch {
            beginStopping(reason: "spawn-failed")
            throw error
        }
    }

    /// Returns once the supervisor has stopped.
    public func waitUntilStopped() async {
        if isStopped { return }
        await withCheckedContinuation { stopWaiters.append($0) }
    }

    /// Pids of the running workers by index.
    public var runningWorkers: [Int: Int32] { workers }

    public func disableRestarts() {
        restartsEnabled = false
        generation += 1
        pendingRestarts.removeAll()
        record("restarts-disabled")
    }

    public func enableRestarts() {
        restartsEnabled = true
        record("restarts-enabled")
        guard !stopping else { return }
        for index in 0..<config.workers where workers[index] == nil { scheduleRestart(index: index) }
    }

    /// Stops every worker (`SIGTERM`, then `SIGKILL` after ``SandboxConfig/stopTimeout``).
    public func stop() {
        beginStopping(reason: "requested")
    }

    // MARK: - Signals

    private func handle(signal: Int32) {
        switch signal {
        case SIGUSR1: disableRestarts()
        case SIGUSR2: enableRestarts()
        case SIGTERM: beginStopping(reason: "SIGTERM")
        case SIGINT: beginStopping(reason: "SIGINT")
        default: break
        }
    }

    // MARK: - Workers

    private func spawnWorker(index: Int) throws(SandboxError) {
        let pid = try WorkerProcess.spawn(config.workerArguments(index: index))
        workers[index] = pid
        try? PIDFile.write(pid, to: config.workerPIDPath(index: index))
        record("worker-started", [("index", "\(index)"), ("pid", "\(pid)")])
        WorkerProcess.watch(pid) { [weak self] status in
            guard let self else { return }
            Task { await self.workerExited(index: index, pid: pid, status: status) }
        }
    }

    private func workerExited(index: Int, pid: pid_t, status: String) {
        guard workers[index] == pid else { return }
        workers[index] = nil
        PIDFile.remove(config.workerPIDPath(index: index))
        record("worker-exited", [("index", "\(index)"), ("pid", "\(pid)"), ("status", status)])
        if !stopping, restartsEnabled { scheduleRestart(index: index) }
    }

    private func scheduleRestart(index: Int, delay: Duration? = nil) {
        guard pendingRestarts[index] != generation else { return }
        let scheduled = generation
        pendingRestarts[index] = scheduled
        let delay = delay ?? config.restartDelay
        Task {
            try? await Task.sleep(for: delay)
            self.restartIfDue(index: index, generation: scheduled)
        }
    }

    private func restartIfDue(index: Int, generation scheduled: Int) {
        guard pendingRestarts[index] == scheduled else { return }
        pendingRestarts[index] = nil
        guard !stopping, restartsEnabled, scheduled == generation, workers[index] == nil else { return }
        do {
            try spawnWorker(index: index)
        } catch {
            record("worker-spawn-failed", [("index", "\(index)"), ("error", error.description)])
            // A program that cannot start is retried at most once a second, even with no delay.
            scheduleRestart(index: index, delay: max(config.restartDelay, .seconds(1)))
        }
    }

    // MARK: - Stopping

    private func beginStopping(reason: String) {
        guard !stopping else { return }
        stopping = true
        generation += 1
        pendingRestarts.removeAll()
        record("stopping", [("reason", reason)])
        for pid in workers.values { kill(pid, SIGTERM) }
        Task { await self.finishStopping() }
    }

    private func finishStopping() async {
        if !(await waitForWorkers(timeout: config.stopTimeout)) {
            for pid in workers.values { kill(pid, SIGKILL) }
            _ = await waitForWorkers(timeout: .seconds(2))
        }
        for index in 0..<config.workers { PIDFile.remove(config.workerPIDPath(index: index)) }
        PIDFile.remove(config.supervisorPIDPath)
        record("stopped", [("pid", "\(getpid())")])
        signalSources?.cancel()
        signalSources = nil
        isStopped = true
        let waiters = stopWaiters
        stopWaiters.removeAll()
        waiters.forEach { $0.resume() }
    }

    /// Polls until no worker is left (their reaper threads report exits meanwhile).
    private func waitForWorkers(timeout: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while !workers.isEmpty, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return workers.isEmpty
    }

    // MARK: - Log

    private func record(_ event: String, _ fields: [(String, String)] = []) {
        do {
            try log.append(event, fields)
        } catch {
            FileHandle.standardError.write(Data("sandbox: \(error)\n".utf8))
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
