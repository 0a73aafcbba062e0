import Foundation
import Testing

@testable import FiredrillDrivers

#if canImport(Glibc)
import Glibc
#endif

@Suite("Process selector")
struct ProcessSelectorTests {
    let selector = ProcessSelector()

    @Test func selectsByPidAndReportsProcFields() async throws {
        let (sleeper, argument) = try await launchSleeper()
        defer { kill(sleeper.pid, SIGKILL) }
        let found = try selector.select(.pid(sleeper.pid))
        let process = try #require(found.first)
        #expect(found.count == 1)
        #expect(process.arguments == ["sleep", argument])
        #expect(process.commandLine == "sleep \(argument)")
        #expect(process.processGroupID == sleeper.pid)
        #expect(process.startSecondsSinceBoot > 0)
        #expect("RS".contains(process.state))

        kill(sleeper.pid, SIGKILL)
        #expect(await waitUntilGone(sleeper.pid))
        #expect(try selector.select(.pid(sleeper.pid)).isEmpty)
    }

    @Test func selectsByPidfileLikePostgresWrites() async throws {
        let directory = try TemporaryDirectory()
        let (sleeper, _) = try await launchSleeper()
        defer { kill(sleeper.pid, SIGKILL) }
        let pidfile = directory.path + "/postmaster.pid"
        try "\(sleeper.pid)\n/var/lib/postgresql/data\n1700000000\n5432\n/var/run/postgresql\n".write(
            toFile: pidfile, atomically: true, encoding: .utf8)
        let found = try selector.select(.pidfile(pidfile))
        #expect(found.map(\.pid) == [sleeper.pid])
    }

    @Test func pidfileErrorsNameThePath() throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path + "/missing.pid"
        let error = #expect(throws: ProcessError.self) { try selector.select(.pidfile(missing)) }
        #expect(error?.description == "cannot read pidfile \(missing): no such file")

        let garbage = directory.path + "/garbage.pid"
        try "not-a-pid\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        let invalid = #expect(throws: ProcessError.self) { try selector.select(.pidfile(garbage)) }
        #expect(invalid?.description.contains(garbage) == true)
        #expect(invalid?.description.contains("not-a-pid") == true)
    }

    @Test func matchFindsProcessesOldestFirst() async throws {
        let tag = Int.random(in: 100_000...999_999)
        let first = try await ProcessLauncher().launch(ProcessLaunchSpec(arguments: ["sleep", "61.\(tag)"]))
        defer { kill(first.pid, SIGKILL) }
        try await Task.sleep(for: .milliseconds(50))
        let second = try await ProcessLauncher().launch(ProcessLaunchSpec(arguments: ["sleep", "62.\(tag)"]))
        defer { kill(second.pid, SIGKILL) }

        let found = try selector.select(.match(#"^sleep 6[12]\.\#(tag)$"#))
        try #require(found.count == 2, "found \(found.map(\.pid)) for \(first.pid) and \(second.pid)")
        #expect(found.map(\.pid) == [first.pid, second.pid])
        #expect(found[0].startSecondsSinceBoot <= found[1].startSecondsSinceBoot)
    }

    @Test func matchExcludesTheRunnerAndItsAncestors() throws {
        let ownProgram = try #require(ProcessSnapshot.read(pid: getpid())?.arguments.first)
        let pattern = NSRegularExpression.escapedPattern(for: ownProgram)
        let found = try selector.select(.match(pattern))
        let excluded = ProcessSelector.selfAndAncestors()
        #expect(excluded.contains(getpid()))
        #expect(excluded.contains(getppid()))
        #expect(found.allSatisfy { !excluded.contains($0.pid) })
    }

    @Test func invalidPatternIsAnError() {
        let error = #expect(throws: ProcessError.self) { try selector.select(.match("sleep ([")) }
        #expect(error?.description.contains("/sleep ([/") == true)
    }

    @Test func statLineWithParenthesesInTheCommandParses() throws {
        let line = "4242 (we ird) (name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 12345 1000 10"
        let stat = try #require(ProcStat.parse(line))
        #expect(stat.pid == 4242)
        #expect(stat.command == "we ird) (name")
        #expect(stat.state == "S")
        #expect(stat.parentPID == 1)
        #expect(stat.processGroupID == 4242)
        #expect(stat.startTicks == 12345)
    }
}
