import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// The runner is SIGKILLed while a fault is in effect: the fault stays, the journal is valid up to its last event,
/// `firedrill recover` undoes the fault, and `firedrill verify` passes.
@Suite(.serialized) struct CrashSafetyTests {
    static func state(_ pid: Int32) -> Character? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        return stat[stat.index(close, offsetBy: 2)]
    }

    /// A real process to pause, recognisable by a unique marker in its command line.
    static func victim(_ prefix: String) throws -> (process: ChildProcess, marker: String) {
        let marker = "firedrill-\(prefix)-\(UUID().uuidString.prefix(8))"
        return (try ChildProcess(["/usr/bin/python3", "-c", "import time\nwhile True: time.sleep(0.05)", marker]), marker)
    }

    /// Waits (at most 5 s) until `pid` is stopped, i.e. the pause is in effect and its intent journaled.
    static func waitUntilStopped(_ pid: Int32) async throws -> Bool {
        for _ in 0..<250 {
            if state(pid) == "T" { return true }
            try await Task.sleep(for: .milliseconds(20))
        }
        return state(pid) == "T"
    }

    @Test func sigkilledRunnerLeavesAPauseThatRecoverUndoes() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "crash")
        let (victim, marker) = try Self.victim("crash")
        defer { victim.signal(SIGKILL) }
        let plan = dir + "/pause.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: crash-pause
        title: pause a process for 60s
        environment: test
        method:
          - name: pause-victim
            process.pause: { match: "\(marker)", for: 60s }
        rollbacks:
          - name: note
            command: [echo, rolled back]
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        #expect(try await Self.waitUntilStopped(victim.pid), "the victim was never paused")
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(5))
        try await Task.sleep(for: .milliseconds(200))
        #expect(Self.state(victim.pid) == "T", "the pause must outlive the runner")

        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(contents.verification.isValid, "\(contents.verification)")
        #expect(contents.events.contains { $0.type == "undo.intent" })
        #expect(!contents.events.contains { $0.type == "run.ended" })

        let recover = try ChildProcess([binary, "recover", runDir])
        let status = await recover.wait(timeout: .seconds(30))
        #expect(status == 0, "recover: \(recover.readOutput())")
        let resumedState = Self.state(victim.pid)
        #expect(resumedState == "S" || resumedState == "R", "after recover the state is \(String(describing: resumedState))")

        let verify = try ChildProcess([binary, "verify", runDir])
        #expect(await verify.wait(timeout: .seconds(10)) == 0)
        let after = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(after.events.contains { $0.type == "undo.done" })
        #expect(after.events.contains { $0.type == "recover.ended" })
        #expect(after.events.contains { $0.type == "step.ended" && $0.step == "note" && $0.data["status"] == "ok" })
    }

    @Test func runRefusesWhileAnEarlierRunOwesUndos() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "refuse")
        let (victim, marker) = try Self.victim("refuse")
        defer { victim.signal(SIGKILL) }
        let plan = dir + "/pause.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: refuse-pause
        title: pause a process
        environment: test
        method:
          - name: pause-victim
            process.pause: { match: "\(marker)", for: 60s }
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let reports = dir + "/reports"
        let runner = try ChildProcess([binary, "run", plan, "--reports", reports, "--quiet"])
        #expect(try await Self.waitUntilStopped(victim.pid), "the victim was never paused")
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(5))

        let second = try ChildProcess([binary, "run", plan, "--reports", reports])
        #expect(await second.wait(timeout: .seconds(10)) == 3)
        let output = second.readOutput()
        #expect(output.contains("still owes"))
        #expect(output.contains("firedrill recover"))
        let runDir = try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { !$0.hasPrefix(".") })
        let recover = try ChildProcess([binary, "recover", reports + "/" + runDir])
        #expect(await recover.wait(timeout: .seconds(30)) == 0)
    }

    @Test func sigintRollsBackAndExits130() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "sigint")
        let stamp = dir + "/rolled-back"
        let plan = dir + "/wait.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: sigint-wait
        title: wait, interrupted
        environment: test
        method:
          - name: long-command
            command: [sleep, "30"]
        rollbacks:
          - name: stamp
            command: [touch, "\(stamp)"]
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir])
        try await Task.sleep(for: .milliseconds(800))
        let clock = ContinuousClock()
        let start = clock.now
        runner.signal(SIGINT)
        let status = await runner.wait(timeout: .seconds(10))
        #expect(status == 130)
        #expect(clock.now - start < .seconds(3))
        #expect(FileManager.default.fileExists(atPath: stamp))
        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        let ended = try #require(contents.events.last { $0.type == "run.ended" })
        #expect(ended.data["ending"] == "interrupted")
        #expect(FileManager.default.fileExists(atPath: runDir + "/report.md"))
    }

    @Test func secondInterruptReportsAndThirdLeavesRollbacksPending() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "sigint3")
        let plan = dir + "/slow-rollback.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: slow-rollback
        title: a slow rollback, interrupted three times
        environment: test
        method:
          - name: hold
            wait: 30s
        rollbacks:
          - name: slow-rollback
            command: [sleep, "4"]
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir])
        try await Task.sleep(for: .milliseconds(600))
        runner.signal(SIGINT)
        try await Task.sleep(for: .milliseconds(600))
        runner.signal(SIGINT)
        try await Task.sleep(for: .milliseconds(300))
        runner.signal(SIGINT)
        let status = await runner.wait(timeout: .seconds(3))
        #expect(status == 130)
        let output = runner.readOutput()
        #expect(output.contains("rollbacks still running: slow-rollback"), "\(output)")
        #expect(output.contains("firedrill recover"))
        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(!contents.events.contains { $0.type == "run.ended" })
        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(20)) == 0, "\(recover.readOutput())")
        let after = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(after.events.contains { $0.type == "step.ended" && $0.step == "slow-rollback" && $0.data["status"] == "ok" })
    }
}
