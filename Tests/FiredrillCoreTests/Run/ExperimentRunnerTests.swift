import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// The run engine against fakes: endings, guards pre-empting waits, rollbacks on every ending, the journal.
@Suite struct ExperimentRunnerTests {
    static func plan(guardEvery: String = "100ms", tolerate: Int = 0, wait: String = "10s", extra: String = "") -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: runner-test
        title: runner test
        environment: test
        limits: { duration: 1m }
        steady-state:
          - name: health
            http: { url: "http://127.0.0.1:9/health" }
        guards:
          - use: health
            every: \(guardEvery)
            tolerate: \(tolerate)
        method:
          - name: inject
            kubernetes.scale: { deployment: api, replicas: 0 }
          - name: hold
            wait: \(wait)
        rollbacks:
          - name: rollback-one
            kubernetes.rollout-restart: { deployment: api }
          - name: rollback-two
            kubernetes.rollout-undo: { deployment: api }
        \(extra)
        """
    }

    struct Rig {
        let probe = ScriptedProbe()
        let steps = RecordingStep()
        var drivers: TestDrivers {
            TestDrivers(probes: ["http": probe], steps: [
                "kubernetes.scale": steps, "kubernetes.rollout-restart": steps, "kubernetes.rollout-undo": steps,
            ])
        }

        /// Drivers whose `inject` step makes the probe fail `after` it ran, returning when it flipped; robust to a
        /// slow start because the clock starts only once the method is under way.
        func failingAfterInject(_ after: Duration, _ flipped: FlipTime) -> TestDrivers {
            var d = drivers
            let probe = self.probe
            let steps = self.steps
            d.steps["kubernetes.scale"] = ClosureStep { name in
                _ = try await steps.run(PlanNode(.mapping([]), at: SourceLocation(file: "", line: 1, column: 1)),
                                        context: DriverContext(name: name, timeout: .seconds(1)))
                Task {
                    try await Task.sleep(for: after)
                    probe.set(passing: false)
                    await flipped.set(ContinuousClock.now)
                }
            }
            return d
        }
    }

    actor FlipTime {
        var at: ContinuousClock.Instant?
        func set(_ instant: ContinuousClock.Instant) { at = instant }
    }

    @Test func passesAndStillRollsBack() async throws {
        let rig = Rig()
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(wait: "200ms")), drivers: rig.drivers)
        #expect(summary.ending == .passed)
        #expect(summary.rollback == .rolledBack)
        #expect(summary.recoveredAfterRollback == true)
        #expect(rig.steps.names == ["inject", "rollback-one", "rollback-two"])
        #expect(summary.events.last?.type == "run.ended")
        #expect(rig.probe.releases == ["guard"], "the guard's watch ended once when the method ended")
    }

    @Test func guardBreachPreemptsWaitAndRollsBack() async throws {
        let rig = Rig()
        let plan = try PlanFixture.load(Self.plan(guardEvery: "100ms", wait: "10s"))
        let flipped = FlipTime()
        let summary = try await PlanFixture.run(plan, drivers: rig.failingAfterInject(.milliseconds(300), flipped))
        let flippedAt = try #require(await flipped.at)
        #expect(summary.ending == .aborted)
        #expect(summary.ending.exitCode == 2)
        let rollbackStart = try #require(rig.steps.calls.first { $0.step == "rollback-one" }?.at)
        let latency = rollbackStart - flippedAt
        // Far below the 10 s wait it cuts short, so only a preempted wait passes; the latency itself is a figure for
        // bench/abort-latency.sh, not a bound for a loaded machine.
        #expect(latency < .seconds(5), "breach to first rollback took \(latency)")
        let breach = try #require(summary.events.first { $0.type == "guard.breached" })
        #expect(breach.step == "health")
        #expect(breach.data["observed"]?["status"] == .number(503))
        let hold = try #require(summary.events.last { $0.type == "step.ended" && $0.step == "hold" })
        #expect(hold.data["status"] == .string("cancelled"))
        #expect(rig.steps.names == ["inject", "rollback-one", "rollback-two"])
        #expect(rig.probe.releases == ["guard"], "a breached guard is released too")
    }

    @Test func tolerateAllowsConsecutiveFailures() async throws {
        let rig = Rig()
        let plan = try PlanFixture.load(Self.plan(guardEvery: "50ms", tolerate: 3, wait: "5s"))
        let summary = try await PlanFixture.run(plan, drivers: rig.failingAfterInject(.milliseconds(200), FlipTime()))
        #expect(summary.ending == .aborted)
        let failures = summary.events.filter { $0.type == "probe.result" && $0.data["role"] == "guard" && $0.data["passed"] == .bool(false) }
        #expect(failures.count == 4)
    }

    @Test func steadyStateNotMetInjectsNothing() async throws {
        let rig = Rig()
        rig.probe.set(passing: false)
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan()), drivers: rig.drivers)
        #expect(summary.ending == .notStarted)
        #expect(summary.reason.hasPrefix("not started: steady state not met"))
        #expect(rig.steps.names.isEmpty)
        #expect(summary.rollback == .nothingToRollBack)
    }

    @Test func failedStepEndsFailedAndRollsBack() async throws {
        let rig = Rig()
        rig.steps.fail(["inject"])
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan()), drivers: rig.drivers)
        #expect(summary.ending == .failed)
        #expect(summary.ending.exitCode == 3)
        #expect(rig.steps.names == ["inject", "rollback-one", "rollback-two"])
    }

    @Test func failingRollbackDoesNotStopTheOthers() async throws {
        let rig = Rig()
        rig.steps.fail(["rollback-one"])
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(wait: "100ms")), drivers: rig.drivers)
        #expect(summary.ending == .passed)
        #expect(summary.rollback == .rollbackFailed)
        #expect(rig.steps.names == ["inject", "rollback-one", "rollback-two"])
    }

    @Test func deviationAfterTheMethod() async throws {
        let rig = Rig()
        var drivers = rig.drivers
        let probe = rig.probe
        drivers.steps["kubernetes.scale"] = ClosureStep { _ in probe.set(passing: false) }
        let plan = try PlanFixture.load(Self.plan(guardEvery: "10s", tolerate: 5, wait: "100ms"))
        let summary = try await PlanFixture.run(plan, drivers: drivers)
        #expect(summary.ending == .deviated)
        #expect(summary.reason.hasPrefix("steady state not met after the method"))
        #expect(summary.recoveredAfterRollback == false)
        #expect(rig.steps.names == ["rollback-one", "rollback-two"])
    }

    /// An effect check that only a 418 would satisfy never sees the fault.
    static let unseenEffect = """
        effect:
          - name: teapot
            use: health
            expect: { status: 418 }
            every: 50ms
        """

    @Test func anEffectCheckThatNeverSawTheFaultMakesAPassInconclusive() async throws {
        let rig = Rig()
        let plan = try PlanFixture.load(Self.plan(guardEvery: "10s", tolerate: 5, wait: "300ms", extra: Self.unseenEffect))
        #expect(plan.effect.map(\.name) == ["teapot"])
        let summary = try await PlanFixture.run(plan, drivers: rig.drivers)
        #expect(summary.ending == .inconclusive)
        #expect(summary.reason == "the steady state held, but effect check `teapot` never saw the fault: the fault may not have hit anything")
        let watched = summary.events.filter { $0.type == "probe.result" && $0.data["role"] == "effect" }
        #expect(watched.count >= 2, "watched during the method and checked once more after it: \(watched.count)")
        #expect(summary.events.filter { $0.type == "effect.not-seen" }.map(\.step) == ["teapot"])
        #expect(rig.probe.releases.filter { $0 == "effect" }.count >= 1)
    }

    @Test func aDeviationWinsOverAnEffectCheckThatNeverSawTheFault() async throws {
        let rig = Rig()
        var drivers = rig.drivers
        let probe = rig.probe
        drivers.steps["kubernetes.scale"] = ClosureStep { _ in probe.set(passing: false) }
        let plan = try PlanFixture.load(Self.plan(guardEvery: "10s", tolerate: 5, wait: "100ms", extra: Self.unseenEffect))
        let summary = try await PlanFixture.run(plan, drivers: drivers)
        #expect(summary.ending == .deviated)
        #expect(summary.reason.hasPrefix("steady state not met after the method"))
        #expect(summary.events.contains { $0.type == "effect.not-seen" && $0.step == "teapot" })
    }

    @Test func interruptCancelsAndRollsBack() async throws {
        let rig = Rig()
        let control = RunControl()
        // The wait is far longer than the bound, so only a prompt interrupt passes, even on a loaded machine.
        let plan = try PlanFixture.load(Self.plan(wait: "120s"))
        let clock = ContinuousClock()
        let start = clock.now
        let steps = rig.steps
        let signal = Task {
            // Interrupt once the method is under way (bounded: 30 s), so a slow start on a loaded machine cannot
            // make the signal land before the first step.
            for _ in 0..<600 where !steps.names.contains("inject") { try await Task.sleep(for: .milliseconds(50)) }
            _ = await control.interrupt(signal: "SIGINT")
        }
        let summary = try await PlanFixture.run(plan, drivers: rig.drivers, control: control)
        try await signal.value
        #expect(summary.ending == .interrupted)
        #expect(summary.ending.exitCode == 130)
        #expect(clock.now - start < .seconds(60))
        #expect(rig.steps.names == ["inject", "rollback-one", "rollback-two"])
    }

    @Test(arguments: [RollbackPolicy.never, .onFailure])
    func rollbackPolicies(policy: RollbackPolicy) async throws {
        let rig = Rig()
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(wait: "50ms")), drivers: rig.drivers, rollbacks: policy)
        #expect(summary.ending == .passed)
        #expect(rig.steps.names == ["inject"])
        #expect(summary.rollback == .skipped)
    }

    @Test func limitDurationAborts() async throws {
        let rig = Rig()
        let yaml = Self.plan(wait: "30s").replacingOccurrences(of: "limits: { duration: 1m }", with: "limits: { duration: 400ms }")
        let summary = try await PlanFixture.run(try PlanFixture.load(yaml), drivers: rig.drivers)
        #expect(summary.ending == .aborted)
        #expect(summary.reason.contains("limits.duration"))
        #expect(rig.steps.names.contains("rollback-one"))
    }

    @Test func guardPreemptsARunningProbe() async throws {
        let rig = Rig()
        let slow = ScriptedProbe()
        slow.set(delay: .seconds(300))
        let yaml = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: slow-probe
        title: slow probe
        environment: test
        guards:
          - name: fast
            http: { url: "http://127.0.0.1:9/a" }
            every: 50ms
          - name: slow
            tcp: { host: 127.0.0.1, port: 9 }
            every: 1s
        method:
          - name: hold
            wait: 120s
        rollbacks:
          - name: rollback-one
            kubernetes.rollout-restart: { deployment: api }
        """
        var drivers = rig.drivers
        drivers.probes["tcp"] = slow
        let flip = Task {
            try await Task.sleep(for: .milliseconds(200))
            rig.probe.set(passing: false)
        }
        let clock = ContinuousClock()
        let start = clock.now
        let summary = try await PlanFixture.run(try PlanFixture.load(yaml), drivers: drivers)
        try await flip.value
        #expect(summary.ending == .aborted)
        #expect(clock.now - start < .seconds(60), "the breach ended the run long before the 120 s wait or the 300 s probe")
        #expect(slow.executions >= 1, "the slow guard was running when the fast one breached")
    }

    @Test func journalIsChainedAndComplete() async throws {
        let rig = Rig()
        let summary = try await PlanFixture.run(try PlanFixture.load(Self.plan(wait: "50ms")), drivers: rig.drivers)
        let result = try JournalVerifier.verify(at: URL(fileURLWithPath: summary.runDirectory + "/journal.jsonl"))
        #expect(result.isValid)
        // Every event the runner recorded, then the seal the journal writes after `run.ended`.
        #expect(result.eventCount == summary.events.count + 1)
        let journal = try JournalReader.read(at: URL(fileURLWithPath: summary.runDirectory + "/journal.jsonl"))
        #expect(journal.events.last?.is(.journalSealed) == true)
        #expect(Array(journal.events.dropLast()) == summary.events)
        let types = summary.events.map(\.type)
        #expect(types.first == "run.started")
        #expect(types.contains("phase.started"))
        #expect(summary.events.map(\.seq) == Array(1...summary.events.count))
    }
}
