import FiredrillDrivers
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Waits (bounded) until a pid is gone or a zombie.
func waitUntilGone(_ pid: Int32, timeout: Duration = .seconds(3)) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if !ProcessController().isRunning(pid) { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return !ProcessController().isRunning(pid)
}

/// Starts a long `sleep` with a unique argument in its own session; the caller kills it.
func launchSleeper(seconds: Int = 60) async throws -> (process: LaunchedProcess, argument: String) {
    let argument = "\(seconds).\(Int.random(in: 100_000...999_999))"
    let process = try await ProcessLauncher().launch(ProcessLaunchSpec(arguments: ["sleep", argument]))
    return (process, argument)
}

/// Polls (bounded) until `condition` holds.
func eventually(timeout: Duration = .seconds(3), _ condition: () throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try condition()
}
