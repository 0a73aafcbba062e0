import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `manual`, `until` and `repeat:` through the real `firedrill run`: a runner child process, answered by
/// `firedrill confirm` from another process, with real command steps and probes.
@Suite(.serialized) struct OperatorStepTests {
    struct Rig {
        let binary: String
        let dir: String
        var runDir: String { dir + "/run" }
        var journalPath: String { runDir + "/journal.jsonl" }

        init(_ prefix: String) throws {
            binary = try FiredrillBinary.path()
            dir = try TempDirectory.make(prefix: prefix)
        }

        func write(_ plan: String) throws -> String {
            let path = dir + "/plan.yaml"
            try plan.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func start(_ plan: String, quiet: Bool = true) throws -> ChildProcess {
            try ChildProcess([binary, "run", try write(plan), "--report-dir", runDir, "--no-store"] + (quiet ? ["--quiet"] : []),
                             workingDirectory: dir)
        }

        func events() throws -> [JournalEvent] {
            try JournalReader.read(at: URL(fileURLWithPath: journalPath)).events
        }

        /// Waits (at most 60 s) for an event of `type`.
        func waitFor(_ type: JournalEventType, step: String? = nil) async throws -> Bool {
            for _ in 0..<600 {
                if FileManager.default.fileExists(atPath: journalPath),
                   let events = try? events(), events.contains(where: { $0.is(type) && (step == nil || $0.step == step) }) {
                    return true
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            return false
        }

        func confirm(_ arguments: [String]) async throws -> (status: Int32?, output: String) {
            let child = try ChildProcess([binary, "confirm", runDir] + arguments, workingDirectory: dir)
            let status = await child.wait(timeout: .seconds(60))
            return (status, child.readOutput())
        }

        func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: dir + "/" + name) }

        func reportJSON() throws -> [String: Any] {
            let data = try Data(contentsOf: URL(fileURLWithPath: runDir + "/report.json"))
            return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        }
    }

    static func goNoGoPlan(_ dir: String, timeout: String = "2m") -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: operator-go-no-go
        title: an operator decides
        environment: test
        vars:
          here: "\(dir)"
        steady-state:
          - name: alive
            command: [true]
        method:
          - name: before
            command: [touch, "${here}/before"]
          - name: go-no-go
            manual: { prompt: "Fail over to the standby?", timeout: \(timeout), who: incident-commander }
          - name: after
            command: [touch, "${here}/after"]
        rollbacks:
          - name: put-back
            command: [touch, "${here}/rolled-back"]
        """
    }

    @Test func anApprovalFromAnotherProcessLetsTheDrillGoOn() async throws {
        let rig = try Rig("confirm-yes")
        let runner = try rig.start(Self.goNoGoPlan(rig.dir))
        #expect(try await rig.waitFor(.manualWaiting, step: "go-no-go"), "the manual step never started waiting")
        #expect(!rig.exists("after"), "the drill went on before the answer")

        let wrong = try await rig.confirm(["no-such-step", "--operator", "alice"])
        #expect(wrong.status == 3)
        #expect(wrong.output.contains("waiting: go-no-go"), "\(wrong.output)")

        let answer = try await rig.confirm(["go-no-go", "--operator", "alice", "--comment", "dashboards green"])
        #expect(answer.status == 0, "\(answer.output)")
        let status = await runner.wait(timeout: .seconds(120))
        #expect(status == 0, "runner: \(runner.readOutput())")
        #expect(rig.exists("after"))
        #expect(rig.exists("rolled-back"))

        let events = try rig.events()
        let answered = try #require(events.first { $0.is(.manualAnswered) })
        #expect(answered.step == "go-no-go")
        #expect(answered.data["answer"]?.stringValue == "approved")
        #expect(answered.data["operator"]?.stringValue == "alice")
        #expect(answered.data["comment"]?.stringValue == "dashboards green")
        #expect(answered.data["via"]?.stringValue == "confirm")
        #expect(answered.data["answered-at"]?.stringValue?.hasSuffix("Z") == true)
        let waiting = try #require(events.firstIndex { $0.is(.manualWaiting) })
        let answeredAt = try #require(events.firstIndex { $0.is(.manualAnswered) })
        let after = try #require(events.firstIndex { $0.is(.stepStarted) && $0.step == "after" })
        #expect(waiting < answeredAt && answeredAt < after)

        let markdown = try String(contentsOfFile: rig.runDir + "/report.md", encoding: .utf8)
        #expect(markdown.contains("approved by alice: dashboards green"), "the report must show the answer")
        #expect(markdown.contains("## Operator steps"))
        let report = try rig.reportJSON()
        let rows = try #require(report["operatorSteps"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows.first?["answer"] as? String == "approved")
        #expect(rows.first?["operator"] as? String == "alice")
        #expect(rows.first?["who"] as? String == "incident-commander")
        #expect(rows.first?["answeredAt"] as? String == answered.data["answered-at"]?.stringValue)

        let late = try await rig.confirm(["go-no-go", "--operator", "bob"])
        #expect(late.status == 3, "an answer after the run ended is refused: \(late.output)")
    }

    @Test func aRejectionFailsTheStepAndRollbacksRun() async throws {
        let rig = try Rig("confirm-no")
        let runner = try rig.start(Self.goNoGoPlan(rig.dir))
        #expect(try await rig.waitFor(.manualWaiting, step: "go-no-go"))
        let answer = try await rig.confirm(["go-no-go", "--reject", "--operator", "carol", "--comment", "replica lag too high"])
        #expect(answer.status == 0, "\(answer.output)")
        let status = await runner.wait(timeout: .seconds(120))
        #expect(status == RunEnding.failed.exitCode, "runner: \(runner.readOutput())")
        #expect(rig.exists("before"))
        #expect(!rig.exists("after"), "a rejected step must stop the drill")
        #expect(rig.exists("rolled-back"), "rollbacks run after a rejection")
        let events = try rig.events()
        #expect(events.contains { $0.is(.manualAnswered) && $0.data["answer"]?.stringValue == "rejected" && $0.data["operator"]?.stringValue == "carol" })
        let ended = try #require(events.first { $0.is(.stepEnded) && $0.step == "go-no-go" })
        #expect(ended.data["status"]?.stringValue == "failed")
        #expect(ended.data["error"]?.stringValue?.contains("rejected by carol: replica lag too high") == true)
    }

    @Test func nobodyAnsweringTimesOutAndRollbacksRun() async throws {
        let rig = try Rig("confirm-timeout")
        let runner = try rig.start(Self.goNoGoPlan(rig.dir, timeout: "2s"))
        let status = await runner.wait(timeout: .seconds(120))
        #expect(status == RunEnding.failed.exitCode, "runner: \(runner.readOutput())")
        #expect(!rig.exists("after"))
        #expect(rig.exists("rolled-back"))
        let events = try rig.events()
        #expect(events.contains { $0.is(.manualTimedOut) && $0.step == "go-no-go" })
        #expect(!events.contains { $0.is(.manualAnswered) })
        let late = try await rig.confirm(["go-no-go", "--operator", "dave"])
        #expect(late.status == 3)
        #expect(late.output.contains("timed out"), "\(late.output)")
    }

    static func untilPlan(_ dir: String, timeout: String) -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: until-flag
        title: wait for a flag
        environment: test
        method:
          - name: wait-for-flag
            until: { probe: { command: [test, -f, "\(dir)/flag"] }, every: 100ms, timeout: \(timeout) }
        rollbacks:
          - name: put-back
            command: [touch, "\(dir)/rolled-back"]
        """
    }

    @Test func untilPollsUntilTheProbePasses() async throws {
        let rig = try Rig("until-pass")
        let runner = try rig.start(Self.untilPlan(rig.dir, timeout: "2m"))
        #expect(try await rig.waitFor(.probeResult, step: "wait-for-flag"), "the first attempt was never journaled")
        try Data().write(to: URL(fileURLWithPath: rig.dir + "/flag"))
        let status = await runner.wait(timeout: .seconds(120))
        #expect(status == 0, "runner: \(runner.readOutput())")
        let events = try rig.events()
        let ended = try #require(events.first { $0.is(.untilEnded) })
        #expect(ended.data["passed"]?.boolValue == true)
        let attempts = try #require(ended.data["attempts"]?.intValue)
        #expect(attempts >= 2)
        let journaled = events.filter { $0.is(.probeResult) && $0.step == "wait-for-flag" }
        #expect(journaled.count == ended.data["journaled-attempts"]?.intValue)
        #expect(journaled.count <= 2 + attempts / 10, "attempts are journaled in a bounded way")
        #expect(journaled.last?.data["passed"]?.boolValue == true)
    }

    @Test func untilFailsTheStepAtItsTimeout() async throws {
        let rig = try Rig("until-timeout")
        let runner = try rig.start(Self.untilPlan(rig.dir, timeout: "1500ms"))
        let status = await runner.wait(timeout: .seconds(120))
        #expect(status == RunEnding.failed.exitCode, "runner: \(runner.readOutput())")
        #expect(rig.exists("rolled-back"))
        let events = try rig.events()
        let ended = try #require(events.first { $0.is(.untilEnded) })
        #expect(ended.data["passed"]?.boolValue == false)
        let step = try #require(events.first { $0.is(.stepEnded) && $0.step == "wait-for-flag" })
        #expect(step.data["error"]?.stringValue?.contains("did not pass within 1.5s") == true, "\(step.data)")
    }

    @Test func aRepeatedPauseJournalsEachUndoBeforeItsEffect() async throws {
        let rig = try Rig("repeat-pause")
        let marker = "firedrill-repeat-\(UUID().uuidString.prefix(8))"
        let victim = try ChildProcess(["/usr/bin/python3", "-c", "import time\nwhile True: time.sleep(0.05)", marker])
        defer { victim.signal(SIGKILL) }
        let runner = try rig.start("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: repeat-pause
        title: pause a process again and again
        environment: test
        method:
          - name: pause-victim
            process.pause: { match: "\(marker)", for: 200ms }
            repeat: { every: 700ms, for: 2s }
          - name: stamp
            command: [mktemp, "\(rig.dir)/stamp.XXXXXX"]
            repeat: { every: 300ms, for: 900ms, jitter: 100ms }
        """)
        let status = await runner.wait(timeout: .seconds(120))
        #expect(status == 0, "runner: \(runner.readOutput())")
        let events = try rig.events()
        let pauseEvents = events.filter { $0.step == "pause-victim" }
        let starts = pauseEvents.filter { $0.is(.repeatStarted) }
        #expect((2...3).contains(starts.count), "a 2s window every 700ms runs 2 or 3 times, not \(starts.count)")
        // Each repetition: repeat.started, then its own undo intent, then (once resumed) its undo done, then repeat.ended.
        var expectIntent = false
        var intents = 0
        for e in pauseEvents {
            if e.is(.repeatStarted) { expectIntent = true }
            if e.is(.undoIntent) {
                #expect(expectIntent, "an undo intent outside a repetition")
                expectIntent = false
                intents += 1
            }
        }
        #expect(intents == starts.count)
        #expect(pauseEvents.filter { $0.is(.undoDone) }.count == starts.count)
        let state = try String(contentsOfFile: "/proc/\(victim.pid)/stat", encoding: .utf8)
        #expect(!state.contains(") T "), "the victim must run again at the end")

        let stamps = try FileManager.default.contentsOfDirectory(atPath: rig.dir).filter { $0.hasPrefix("stamp.") }
        let stampEnded = try #require(events.first { $0.is(.stepEnded) && $0.step == "stamp" })
        #expect(stampEnded.data["output"]?["repetitions"]?.intValue == stamps.count)
        #expect((2...4).contains(stamps.count))
        let markdown = try String(contentsOfFile: rig.runDir + "/report.md", encoding: .utf8)
        #expect(markdown.contains("ran \(stamps.count) times every 300ms ± 100ms"), "the report shows how many ran")
    }

    @Test func aTrafficGuardGivesOneAvailabilityFigureOverTheRepeatedFault() async throws {
        let rig = try Rig("repeat-traffic")
        let port = try LoopbackPort.free()
        let server = try ChildProcess(["/usr/bin/python3", "-m", "http.server", String(port), "--bind", "127.0.0.1"], workingDirectory: rig.dir)
        defer { server.signal(SIGKILL) }
        let runner = try rig.start("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: repeat-traffic
        title: a repeated fault under a traffic guard
        environment: test
        steady-state:
          - name: api
            traffic: { url: "http://127.0.0.1:\(port)/", rate: 20/s, for: 1s, window: 1s, request-timeout: 2s }
            attempts: 40          # the server may take a moment to listen
            every: 250ms
        guards:
          - use: api
            every: 500ms
            tolerate: 3
        method:
          - name: stamp
            command: [mktemp, "\(rig.dir)/stamp.XXXXXX"]
            repeat: { every: 500ms, for: 2s }
        """)
        let status = await runner.wait(timeout: .seconds(120))
        #expect(status == 0, "runner: \(runner.readOutput())")
        let events = try rig.events()
        let total = try #require(events.first { $0.is(.trafficTotal) })
        #expect(total.step == "api")
        #expect(total.data["role"]?.stringValue == "guard")
        let report = try rig.reportJSON()
        let rows = try #require(report["trafficTotals"] as? [[String: Any]])
        #expect(rows.count == 1)
        let requests = try #require(rows.first?["requests"] as? Int)
        #expect(requests >= 20, "2s or more at 20/s")
        #expect(rows.first?["success"] as? Double == 100)
        #expect(rows.first?["p99"] as? Double != nil)
        let markdown = try String(contentsOfFile: rig.runDir + "/report.md", encoding: .utf8)
        #expect(markdown.contains("## Availability over the whole window"))
        let stamp = try #require(events.first { $0.is(.stepEnded) && $0.step == "stamp" })
        #expect((4...5).contains(stamp.data["output"]?["repetitions"]?.intValue ?? 0))
    }

    @Test func anInterruptEndsAWaitForAnOperatorAndRollsBack() async throws {
        let rig = try Rig("confirm-interrupt")
        let runner = try rig.start(Self.goNoGoPlan(rig.dir), quiet: false)
        #expect(try await rig.waitFor(.manualWaiting, step: "go-no-go"))
        try await Task.sleep(for: .milliseconds(300))
        runner.signal(SIGINT)
        // Well before the step's 2-minute timeout: the wait is cancelled, not sat out.
        let status = await runner.wait(timeout: .seconds(60))
        let output = runner.readOutput()
        #expect(status == RunEnding.interrupted.exitCode, "runner: \(output)")
        #expect(rig.exists("rolled-back"))
        #expect(!rig.exists("after"))
        // The console showed the prompt, who is expected and how to answer from elsewhere.
        #expect(output.contains("go-no-go: waiting for incident-commander: \"Fail over to the standby?\""), "\(output)")
        #expect(output.contains("answer: firedrill confirm \(rig.runDir) go-no-go --operator NAME"), "\(output)")
        let ended = try #require(try rig.events().first { $0.is(.stepEnded) && $0.step == "go-no-go" })
        #expect(ended.data["status"]?.stringValue == "cancelled")
    }

    @Test func anInterruptEndsPollingAndRollsBack() async throws {
        let rig = try Rig("until-interrupt")
        let runner = try rig.start(Self.untilPlan(rig.dir, timeout: "10m"), quiet: false)
        #expect(try await rig.waitFor(.probeResult, step: "wait-for-flag"))
        try await Task.sleep(for: .milliseconds(300))
        runner.signal(SIGINT)
        let status = await runner.wait(timeout: .seconds(60))
        let output = runner.readOutput()
        #expect(status == RunEnding.interrupted.exitCode, "runner: \(output)")
        #expect(rig.exists("rolled-back"))
        #expect(output.contains("wait-for-flag: attempt 1: not yet"), "\(output)")
        let ended = try #require(try rig.events().first { $0.is(.stepEnded) && $0.step == "wait-for-flag" })
        #expect(ended.data["status"]?.stringValue == "cancelled")
    }

    /// On a terminal the prompt is shown and a typed `no …` answers it. The terminal is a real pseudo-terminal that
    /// util-linux `script` gives the runner; the test types into it.
    @Test func onATerminalTheOperatorTypesTheAnswer() async throws {
        let rig = try Rig("confirm-tty")
        let plan = try rig.write(Self.goNoGoPlan(rig.dir))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        let command = [rig.binary, "run", plan, "--report-dir", rig.runDir, "--no-store"].map { "'\($0)'" }.joined(separator: " ")
        process.arguments = ["-qfec", command, "/dev/null"]
        process.currentDirectoryURL = URL(fileURLWithPath: rig.dir)
        let keyboard = Pipe()
        process.standardInput = keyboard
        let screen = rig.dir + "/screen.txt"
        FileManager.default.createFile(atPath: screen, contents: nil)
        let screenHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: screen))
        process.standardOutput = screenHandle
        process.standardError = screenHandle
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        #expect(try await rig.waitFor(.manualWaiting, step: "go-no-go"))
        try keyboard.fileHandleForWriting.write(contentsOf: Data("maybe\nno replica lag 40s\n".utf8))
        for _ in 0..<1200 where process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        #expect(!process.isRunning, "the run did not end within a minute")
        let shown = try String(contentsOfFile: screen, encoding: .utf8)
        #expect(shown.contains("Fail over to the standby?"), "\(shown)")
        #expect(shown.contains("answer `yes` or `no`"), "an unclear answer is asked again: \(shown)")
        #expect(!rig.exists("after"))
        #expect(rig.exists("rolled-back"))
        let answered = try #require(try rig.events().first { $0.is(.manualAnswered) })
        #expect(answered.data["answer"]?.stringValue == "rejected")
        #expect(answered.data["via"]?.stringValue == "terminal")
        #expect(answered.data["comment"]?.stringValue == "replica lag 40s")
    }

    @Test func confirmRefusesWhenTheRunnerIsGone() async throws {
        let rig = try Rig("confirm-dead")
        let runner = try rig.start(Self.goNoGoPlan(rig.dir))
        #expect(try await rig.waitFor(.manualWaiting, step: "go-no-go"))
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(30))
        let answer = try await rig.confirm(["go-no-go", "--operator", "alice"])
        #expect(answer.status == 3)
        #expect(answer.output.contains("no longer running"), "\(answer.output)")
        #expect(OperatorAnswer.read(for: "go-no-go", in: rig.runDir).isEmpty, "nothing was recorded")
    }
}
