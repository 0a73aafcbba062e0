import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Signals, pauses, waits for and restarts local processes by pid (Linux /proc).
public struct ProcessController: Sendable {
    /// How often /proc is read while waiting for a process to exit.
    public var pollInterval: Duration

    public init(pollInterval: Duration = .milliseconds(20)) {
        self.pollInterval = pollInterval
    }

    /// Sends `signal` to one process. Pids below 1 are refused: for `kill(2)` they would name
    /// process groups or every process.
    public func send(_ signal: Int32, to pid: Int32) throws(ProcessError) {
        guard pid > 0 else { throw ProcessError.noSuchProcess(pid: pid) }
        guard kill(pid, signal) == 0 else {
            let code = errno
            if code == ESRCH { throw ProcessError.noSuchProcess(pid: pid) }
            throw ProcessError.signalFailed(pid: pid, signal: signal, reason: String(cString: strerror(code)))
        }
    }

    /// Stops the process with `SIGSTOP`.
    public func pause(_ pid: Int32) throws(ProcessError) { try send(SIGSTOP, to: pid) }

    /// Continues a stopped process with `SIGCONT`.
    public func resume(_ pid: Int32) throws(ProcessError) { try send(SIGCONT, to: pid) }

    /// The state letter from `/proc/<pid>/stat`, or `nil` when there is no such process.
    public func state(of pid: Int32) -> Character? {
        guard pid > 0 else { return nil }
        return ProcStat.read(pid: pid)?.state
    }

    /// Whether the process is stopped (state `T`).
    public func isStopped(_ pid: Int32) throws(ProcessError) -> Bool {
        guard let state = state(of: pid) else { throw ProcessError.noSuchProcess(pid: pid) }
        return state == "T" || state == "t"
    }

    /// Whether the process exists and has not ended (a zombie has ended).
    public func isRunning(_ pid: Int32) -> Bool {
        guard let stat = ProcStat.read(pid: pid) else { return false }
        return !stat.isZombie
    }

    /// Polls until the process has ended or `timeout` passes. Returns whether it ended.
    /// Throws `CancellationError` when the calling task is cancelled.
    public func waitForExit(_ pid: Int32, timeout: Duration) async throws -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while isRunning(pid) {
            let now = clock.now
            if now >= deadline { return false }
            try await Task.sleep(for: min(pollInterval, deadline - now))
        }
        return true
    }

    /// How to start this process again: its argv, executable, environment and working
    /// directory as /proc shows them now.
    public func launchSpec(of pid: Int32) throws(ProcessError) -> ProcessLaunchSpec {
        let base = "\(ProcStat.procRoot)/\(pid)"
        guard let stat = ProcStat.read(pid: pid), !stat.isZombie else { throw ProcessError.noSuchProcess(pid: pid) }
        guard let arguments = ProcessSnapshot.readArguments(pid: pid), !arguments.isEmpty else {
            throw ProcessError.launchSpecUnavailable(pid: pid, reason: "it has no command line (a kernel thread?)")
        }
        guard let environ = FileManager.default.contents(atPath: "\(base)/environ") else {
            throw ProcessError.launchSpecUnavailable(pid: pid, reason: "\(base)/environ is not readable (owned by another user?)")
        }
        guard let directory = try? FileManager.default.destinationOfSymbolicLink(atPath: "\(base)/cwd") else {
            throw ProcessError.launchSpecUnavailable(pid: pid, reason: "\(base)/cwd is not readable")
        }
        var environment: [String: String] = [:]
        for entry in ProcessSnapshot.splitNUL(environ) {
            guard let equals = entry.firstIndex(of: "="), equals != entry.startIndex else { continue }
            environment[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
        }
        // The running binary, unless it was replaced on disk since; then argv[0] is resolved again.
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "\(base)/exe"))
            .flatMap { $0.hasSuffix(" (deleted)") ? nil : $0 }
        return ProcessLaunchSpec(
            arguments: arguments, executablePath: executable, environment: environment, workingDirectory: directory)
    }

    /// Restarts a process: reads how it was started, sends `signal` (`SIGTERM` unless told), waits up to
    /// `stopTimeout` (then `SIGKILL`, and up to `killTimeout` more), and starts the same argv
    /// with the same environment and working directory, detached in a new session.
    /// Returns the new process; its output goes to `outputPath` or /dev/null.
    public func restart(
        _ pid: Int32, signal: Int32 = SIGTERM, stopTimeout: Duration = .seconds(10), killTimeout: Duration = .seconds(2),
        outputPath: String? = nil
    ) async throws -> LaunchedProcess {
        var spec = try launchSpec(of: pid)
        spec.outputPath = outputPath
        try send(signal, to: pid)
        if try await !waitForExit(pid, timeout: stopTimeout) {
            try? send(SIGKILL, to: pid)
            guard try await waitForExit(pid, timeout: killTimeout) else {
                throw ProcessError.didNotExit(pid: pid, waited: stopTimeout + killTimeout)
            }
        }
        return try await ProcessLauncher().launch(spec)
    }
}
