import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

/// `drills/monthly-dr-checklist.yaml` end to end: the sandbox is the region, a real PostgreSQL server holds the
/// orders, and every operator step is answered by `firedrill confirm` from this test, as a person at another
/// terminal would. Fails, never skips, when PostgreSQL is not installed.
@Suite(.serialized) struct MonthlyChecklistDrillTests {
    static let operatorSteps = ["announce": "dana", "go-no-go": "erin", "lessons-learned": "dana"]

    @Test func theChecklistRunsWithEveryDecisionOnRecord() async throws {
        let database = try await PostgresFixture.start()
        defer { database.stop() }
        try await DrillHarness.makeOrders(on: database, rows: 120)

        let harness = try DrillHarness(prefix: database.commandPrefix, label: "checklist")
        let state = harness.directory + "/sandbox"
        let port = try LoopbackPort.free()
        // The sandbox runs as the same OS user as the run, so the drill may signal it.
        let sandbox = try await ProcessLauncher().launch(ProcessLaunchSpec(
            arguments: database.commandPrefix + [harness.binary, "sandbox", "--port", String(port), "--workers", "2",
                                                 "--restart-delay", "300ms", "--state-dir", state],
            workingDirectory: harness.directory, outputPath: harness.directory + "/sandbox.out"))
        defer { kill(-sandbox.pid, SIGKILL) }

        let runDirectory = harness.directory + "/run"
        let answers = Task { try await Self.answer(runDirectory: runDirectory, binary: harness.binary) }
        defer { answers.cancel() }
        let run = try await harness.run(DrillHarness.examplePlan("monthly-dr-checklist.yaml"), vars: [
            "port": String(port),
            "state-dir": state,
            "dsn": DrillHarness.dsn(database),
        ], password: database.password, timeout: .seconds(300))
        let answered = try await answers.value

        #expect(run.status == 0, "\(run.account)")
        #expect(run.ending == "passed", "\(run.account)")
        #expect(run.journalValid)
        #expect(answered.sorted() == Self.operatorSteps.keys.sorted(), "every operator step was answered once")

        // The decisions are on record: who, when, in the journal and the report.
        for (step, name) in Self.operatorSteps {
            let event = try #require(run.first("manual.answered", step: step), "\(step): \(run.account)")
            #expect(event.data["operator"]?.stringValue == name)
            #expect(event.data["answer"]?.stringValue == "approved")
            #expect(event.data["via"]?.stringValue == "confirm")
        }
        // The announcement happens before the injection, so a person's wait is not counted in the RTO.
        let announced = try #require(run.events.firstIndex { $0.type == "manual.answered" && $0.step == "announce" })
        let injected = try #require(run.events.firstIndex { $0.type == "drill.injected" })
        #expect(announced < injected)
        let goNoGo = try #require(run.events.firstIndex { $0.type == "manual.answered" && $0.step == "go-no-go" })
        let failOver = try #require(run.events.firstIndex { $0.type == "step.started" && $0.step == "fail-over" })
        #expect(injected < goNoGo && goNoGo < failOver, "the failover waits for the go")

        let rto = try #require(run.first("rto.measured"), "\(run.account)")
        #expect(rto.data["met"] == true)
        #expect(run.first("drill.detected") != nil, "the region failure was an outage")
        for step in ["failover-serving", "failback-serving"] {
            let polled = try #require(run.first("until.ended", step: step), "\(step): \(run.account)")
            #expect(polled.data["passed"] == true)
        }
        #expect(run.verifyResults.count == 2)
        #expect(run.verifyResults.allSatisfy { $0.data["passed"] == true }, "no order lost: \(run.account)")

        let markdown = try String(contentsOfFile: runDirectory + "/report.md", encoding: .utf8)
        #expect(markdown.contains("## Operator steps"))
        #expect(markdown.contains("incident\\-commander") || markdown.contains("incident-commander"))
        #expect(try await harness.verify(run) == 0)
    }

    /// Answers each operator step as it starts waiting, with `firedrill confirm` in a child process; returns the
    /// steps answered. Bounded: at most four minutes.
    static func answer(runDirectory: String, binary: String) async throws -> [String] {
        var answered: [String] = []
        let journal = URL(fileURLWithPath: runDirectory + "/journal.jsonl")
        for _ in 0..<2400 {
            try Task.checkCancellation()
            if let events = try? JournalReader.read(at: journal).events {
                for event in events where event.type == "manual.waiting" {
                    guard let step = event.step, !answered.contains(step), let name = operatorSteps[step] else { continue }
                    let confirm = try ChildProcess([binary, "confirm", runDirectory, step, "--operator", name, "--comment", "checked"])
                    let status = await confirm.wait(timeout: .seconds(60))
                    guard status == 0 else { throw HarnessError("confirm \(step) exited \(String(describing: status)): \(confirm.readOutput())") }
                    answered.append(step)
                }
                if events.contains(where: { $0.type == "run.ended" }) { return answered }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        return answered
    }
}
