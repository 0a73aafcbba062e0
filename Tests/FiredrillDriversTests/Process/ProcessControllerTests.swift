import Foundation
import Testing

@testable import FiredrillDrivers

#if canImport(Glibc)
import Glibc
#endif

@Suite("Process controller")
struct ProcessControllerTests {
    let controller = ProcessController()

    @Test func pauseStopsAndResumeContinues() async throws {
        let (sleeper, _) = try await launchSleeper()
        defer { kill(sleeper.pid, SIGKILL) }
        try controller.pause(sleeper.pid)
        #expect(try await eventually { try controller.isStopped(sleeper.pid) })
        #expect(controller.state(of: sleeper.pid) == "T")
        try controller.resume(sleeper.pid)
        #expect(try await eventually { try !controller.isStopped(sleeper.pid) })
        #expect(controller.state(of: sleeper.pid).map { "SR".contains($0) } == true)
    }

    @Test func sendDeliversARealSignalAndWaitForExitSeesIt() async throws {
        let (sleeper, _) = try await launchSleeper()
        defer { kill(sleeper.pid, SIGKILL) }
        #expect(try await controller.waitForExit(sleeper.pid, timeout: .milliseconds(100)) == false)
        try controller.send(try Signals.parse("KILL"), to: sleeper.pid)
        #expect(try await controller.waitForExit(sleeper.pid, timeout: .seconds(3)))
        #expect(try await sleeper.waitForExit(timeout: .seconds(3)) == .signaled(SIGKILL))
        let error = #expect(throws: ProcessError.self) { try controller.send(SIGTERM, to: sleeper.pid) }
        #expect(error == .noSuchProcess(pid: sleeper.pid))
    }

    @Test func refusesPidsThatWouldNameGroups() {
        #expect(throws: ProcessError.noSuchProcess(pid: 0)) { try controller.send(SIGTERM, to: 0) }
        #expect(throws: ProcessError.noSuchProcess(pid: -1)) { try controller.send(SIGTERM, to: -1) }
    }

    @Test func restartStartsTheSameCommandAgain() async throws {
        let directory = try TemporaryDirectory()
        let argument = "63.\(Int.random(in: 100_000...999_999))"
        var environment = ProcessInfo.processInfo.environment
        environment["FIREDRILL_RESTART_MARK"] = "mark-\(argument)"
        let original = try await ProcessLauncher().launch(ProcessLaunchSpec(
            arguments: ["sleep", argument], environment: environment, workingDirectory: directory.path))
        defer { kill(original.pid, SIGKILL) }
        let before = try #require(ProcessSnapshot.read(pid: original.pid))

        let restarted = try await controller.restart(original.pid, stopTimeout: .seconds(3))
        defer { kill(restarted.pid, SIGKILL) }
        #expect(restarted.pid != original.pid)
        #expect(try await original.waitForExit(timeout: .seconds(3)) == .signaled(SIGTERM))
        let after = try #require(ProcessSnapshot.read(pid: restarted.pid))
        #expect(after.commandLine == before.commandLine)
        #expect(after.processGroupID == restarted.pid)
        let spec = try controller.launchSpec(of: restarted.pid)
        #expect(spec.environment?["FIREDRILL_RESTART_MARK"] == "mark-\(argument)")
        #expect(spec.workingDirectory.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path }
            == URL(fileURLWithPath: directory.path).resolvingSymlinksInPath().path)
    }

    @Test func launchSpecOfAMissingProcessIsAnError() async throws {
        let (sleeper, _) = try await launchSleeper()
        kill(sleeper.pid, SIGKILL)
        _ = try await sleeper.waitForExit(timeout: .seconds(3))
        #expect(throws: ProcessError.noSuchProcess(pid: sleeper.pid)) { try controller.launchSpec(of: sleeper.pid) }
    }

    @Test func launcherReportsAMissingProgram() async {
        let error = await #expect(throws: ProcessError.self) {
            try await ProcessLauncher().launch(ProcessLaunchSpec(arguments: ["firedrill-no-such-daemon-4711"]))
        }
        #expect(error?.description.contains("not found on PATH") == true)
    }
}
