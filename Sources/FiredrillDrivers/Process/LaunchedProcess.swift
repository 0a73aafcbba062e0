import Synchronization

/// A process started by ``ProcessLauncher``. Firedrill reaps it when it ends; this handle
/// reports how it ended.
public struct LaunchedProcess: Sendable {
    /// The process id, which is also its session and process group id.
    public let pid: Int32
    let outcome: TerminationBox

    init(pid: Int32, outcome: TerminationBox) {
        self.pid = pid
        self.outcome = outcome
    }

    /// How the process ended, or `nil` while it runs.
    public var termination: ProcessTermination? { outcome.value }

    /// Waits up to `timeout` for the process to end; `nil` if it is still running then.
    /// Throws `CancellationError` when the calling task is cancelled.
    public func waitForExit(timeout: Duration, pollInterval: Duration = .milliseconds(10)) async throws -> ProcessTermination? {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let termination = outcome.value { return termination }
            let now = clock.now
            if now >= deadline { return nil }
            try await Task.sleep(for: min(pollInterval, deadline - now))
        }
    }
}

/// Written once by the task that reaps the process.
final class TerminationBox: Sendable {
    private let stored = Mutex<ProcessTermination?>(nil)
    var value: ProcessTermination? { stored.withLock { $0 } }
    func set(_ termination: ProcessTermination) { stored.withLock { $0 = termination } }
}
