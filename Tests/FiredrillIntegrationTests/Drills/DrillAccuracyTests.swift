import FiredrillCore
import FiredrillDrivers
import FiredrillSandbox
import FiredrillTestSupport
import Foundation
import Testing

/// How close the measured RTO and RPO come to independently known ground truth, through the real binary.
///
/// - RTO: the sandbox logs `worker-listening` (µs UTC) the instant a restarted worker can serve again; the truth is
///   the first one after the disaster minus the journal's `drill.injected` time.
/// - RPO: the replication stream is cut for a known length L before the primary is killed: the primary's walsender
///   is stopped (SIGSTOP), so nothing written from then on reaches the standby, then the primary is SIGKILLed and
///   the stalled walsender with it. Every marker acknowledged during L is lost, so the heartbeat RPO should be L.
///   (Stopping the standby's walreceiver instead does not cut the stream: the primary keeps sending into the TCP
///   buffers, and the walreceiver reads all of it once resumed.)
///
/// Either way the probe or marker interval bounds the error: |measured − truth| ≤ every + 50ms on a quiet machine
/// (bench/rpo-rto-accuracy.sh); the tests allow three intervals, for a loaded one.
@Suite(.serialized) struct DrillAccuracyTests {
    static let every = 0.1

    @Test func rtoMatchesTheSandboxsOwnLogOfWhenServiceReturned() async throws {
        let harness = try DrillHarness(label: "rto-accuracy")
        let state = harness.directory + "/sandbox"
        let port = try LoopbackPort.free()
        let sandbox = try await ProcessLauncher().launch(ProcessLaunchSpec(
            arguments: [harness.binary, "sandbox", "--port", String(port), "--workers", "2", "--restart-delay", "1500ms",
                        "--state-dir", state],
            outputPath: harness.directory + "/sandbox.out"))
        // The supervisor leads its own process group; its workers are in it.
        defer { kill(-sandbox.pid, SIGKILL) }
        let log = SandboxConfig.logPath(in: state)
        let plan = try harness.writePlan("""
            apiVersion: firedrill/v1
            kind: Drill
            name: rto-accuracy
            title: Every sandbox worker is killed; the supervisor restarts them after 1.5s
            environment: test
            objectives: { rto: 30s }
            steady-state:
              - name: health
                http: { url: "http://127.0.0.1:\(port)/health" }
                expect: { status: 200 }
                attempts: 40
                every: 250ms
            disaster:
              - name: kill-every-worker
                process.kill: { match: "sandbox-worker --port \(port) ", mode: all, signal: KILL }
            recovered:
              http: { url: "http://127.0.0.1:\(port)/health" }
              expect: { status: 200 }
              every: 100ms
              consecutive: 3
              timeout: 1m
            """, name: "rto-accuracy.yaml")

        var errors: [Double] = []
        for attempt in 1...3 {
            // Both workers must serve, or killing "every" worker would leave no outage.
            try await DrillHarness.waitUntil("both sandbox workers listen (attempt \(attempt))") {
                Self.listeningWorkers(SandboxEventLog.read(path: log)) == 2
            }
            let run = try await harness.run(plan, vars: [:], runName: "run-\(attempt)", timeout: .seconds(90))
            #expect(run.status == 0, "\(run.account)")
            let injected = try #require(run.first("drill.injected").flatMap(DrillRun.wall), "\(run.account)")
            let returned = try #require(SandboxEventLog.read(path: log).first { $0.name == "worker-listening" && $0.time > injected },
                                        "no worker came back after the disaster")
            let truth = returned.time - injected
            let measured = try #require(run.first("rto.measured")?.data["seconds"]?.doubleValue, "\(run.account)")
            let error = measured - truth
            errors.append(error)
            // Within a few probe intervals even on a loaded machine; the figure itself is bench/rpo-rto-accuracy.sh's.
            #expect(abs(error) <= Self.every * 3, "attempt \(attempt): RTO \(measured)s, truth \(truth)s, error \(error)s")
            #expect(truth > 1.4, "the supervisor restarts after 1.5s, so the truth is at least that: \(truth)s")
        }
        print("RTO error against the sandbox log (measured − truth), 3 runs: " + errors.map { "\(Int((($0 * 1000)).rounded()))ms" }.joined(separator: ", "))
    }

    /// Workers whose latest event is `worker-listening` (not followed by `worker-exited`).
    static func listeningWorkers(_ events: [SandboxEvent]) -> Int {
        var state: [String: Bool] = [:]
        for event in events {
            guard let index = event["index"] else { continue }
            if event.name == "worker-listening" { state[index] = true }
            if event.name == "worker-exited" || event.name == "worker-started" { state[index] = false }
        }
        return state.values.filter { $0 }.count
    }

    static let rpoPlan = """
        apiVersion: firedrill/v1
        kind: Drill
        name: rpo-accuracy
        title: The replication stream is cut for 1.5s, then the primary is killed and the standby promoted
        environment: test
        objectives: { rto: 1m, rpo: 10s }
        vars:
          pg-bin: /usr/lib/postgresql/17/bin
          primary: host=127.0.0.1 port=5432
          standby: host=127.0.0.1 port=5433
          primary-data: /srv/primary
          standby-data: /srv/standby
          heartbeat: host=127.0.0.1 port=5432
        steady-state:
          - name: walsender-pid
            postgres: { dsn: "${primary}", query: "SELECT pid FROM pg_stat_replication WHERE state = 'streaming'" }
            expect: { value: "> 0" }
            attempts: 20     # also the check after the run, when the primary is gone for good
            every: 250ms
        heartbeat:
          postgres: { dsn: "${heartbeat}", every: 100ms }
          lead: 1s       # the loss is the 1.5s cut inside the disaster, after the lead
        disaster:
          - name: cut-replication
            process.kill: { pid: "${steps.walsender-pid.value}", signal: STOP }
          - name: replication-is-cut
            wait: 1500ms
          - name: kill-primary
            process.kill: { pidfile: "${primary-data}/postmaster.pid", signal: KILL }
          - name: end-the-stalled-walsender
            process.kill: { pid: "${steps.walsender-pid.value}", signal: KILL }
        recovery:
          - name: promote-standby
            command: ["${pg-bin}/pg_ctl", promote, -w, -t, "60", -D, "${standby-data}"]
        recovered:
          postgres: { dsn: "${standby}", query: "SELECT 1 WHERE NOT pg_is_in_recovery()" }
          expect: { value: 1 }
          every: 100ms
          consecutive: 5
          timeout: 1m
        rpo:
          heartbeat: { dsn: "${standby}" }
        """

    /// Twice: the heartbeat written to the primary's own address, then through a multi-host DSN with
    /// `target_session_attrs=read-write` that follows the primary, so markers written after the promotion survive
    /// while the ones written during the cut are lost.
    @Test func heartbeatRPOMatchesHowLongReplicationWasCut() async throws {
        var errors: [String] = []
        for attempt in 1...2 {
            let followsThePrimary = attempt == 2
            let primary = try await PostgresFixture.start()
            defer { primary.stop() }
            let standby = try await primary.makeStandby()
            defer { standby.stop() }
            let harness = try DrillHarness(prefix: primary.commandPrefix, label: "rpo-accuracy")
            let run = try await harness.run(try harness.writePlan(Self.rpoPlan, name: "rpo-accuracy.yaml"), vars: [
                "pg-bin": primary.binDirectory.path,
                "primary": DrillHarness.dsn(primary),
                "standby": DrillHarness.dsn(standby),
                "primary-data": primary.dataDirectory.path,
                "standby-data": standby.dataDirectory.path,
                "heartbeat": followsThePrimary
                    ? "host=127.0.0.1,127.0.0.1 port=\(primary.port),\(standby.port) user=\(primary.user) dbname=postgres "
                        + "sslmode=disable connect_timeout=10 target_session_attrs=read-write"
                    : DrillHarness.dsn(primary),
            ], password: primary.password, timeout: .seconds(120))
            #expect(run.status == 0, "\(run.account)")

            // The signals are sent between each step's start and end events: L is bracketed by them.
            let cut = try #require(run.first("step.ended", step: "cut-replication"), "\(run.account)")
            let cutStarted = try #require(run.first("step.started", step: "cut-replication"))
            let killStarted = try #require(run.first("step.started", step: "kill-primary"))
            let kill = try #require(run.first("step.ended", step: "kill-primary"))
            let length = ((killStarted.mono + kill.mono) - (cutStarted.mono + cut.mono)) / 2
            let bracket = (kill.mono - killStarted.mono) + (cut.mono - cutStarted.mono)
            #expect(length > 1.45 && length < 1.7, "the cut lasted \(length)s")

            let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
            let measured = try #require(rpo.data["seconds"]?.doubleValue, "\(rpo.data)")
            let detail = try #require(rpo.data["detail"])
            let lost = try #require(detail["markers-lost"]?.doubleValue)
            let error = measured - length
            errors.append("\(followsThePrimary ? "following DSN" : "primary DSN"): \(Int((error * 1000).rounded()))ms (L \(Int((length * 1000).rounded()))±\(Int((bracket * 500).rounded()))ms, RPO \(Int((measured * 1000).rounded()))ms, \(Int(lost)) markers lost)")
            #expect(abs(error) <= Self.every * 3, "attempt \(attempt): RPO \(measured)s, cut \(length)s, error \(error)s")
            // About one marker per 100ms of the cut was acknowledged by the primary and never reached the standby.
            #expect(lost >= 12 && lost <= 17, "\(lost) markers lost in a \(length)s cut")
            if followsThePrimary {
                let newestSurviving = try #require(detail["newest-surviving-seq"]?.doubleValue, "\(detail)")
                let newestLost = try #require(detail["newest-lost-seq"]?.doubleValue, "\(detail)")
                #expect(newestSurviving > newestLost, "markers written to the promoted standby survive: \(detail)")
            }
        }
        print("RPO error against the cut length (measured − L), 2 runs: " + errors.joined(separator: "; "))
    }
}
