import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

/// RPO through the built binary when replication stalls: a real primary, a real standby streaming from it through
/// a `StallingTCPProxy` the test controls, the primary SIGKILLed and the standby promoted.
///
/// - a replica already behind when the drill starts: no marker written before the disaster survives, so the RPO is a
///   lower bound, judged NOT MET because it exceeds the objective; in WAL terms the bytes lost are the difference
///   the test reads itself, and no more than the end of the old primary's WAL (pg_waldump) allows;
/// - a stall during the drill: the RPO is measured, and matches an independent writer's own account of what was
///   lost (generous bound here; `bench/rpo-rto-accuracy.sh` records the precise error);
/// - no marker acknowledged: the RPO is INCONCLUSIVE, not 0.
@Suite(.serialized) struct StalledReplicaDrillTests {
    static func plan(objectiveRPO: String, lead: String) -> String {
        """
        apiVersion: firedrill/v1
        kind: Drill
        name: stalled-replica
        title: The primary is killed while its standby's replication is stalled; the standby is promoted
        environment: test
        objectives: { rto: 1m, rpo: \(objectiveRPO) }
        vars:
          pg-bin: /usr/lib/postgresql/15/bin
          primary: host=127.0.0.1 port=5432
          standby: host=127.0.0.1 port=5433
          primary-data: /srv/primary
          standby-data: /srv/standby
        steady-state:
          - name: primary-answers
            postgres: { dsn: "${primary}", query: "SELECT 1" }
            expect: { value: 1 }
        heartbeat:
          postgres: { dsn: "${primary}", every: 100ms }
          lead: \(lead)
        disaster:
          - name: kill-primary
            process.kill: { pidfile: "${primary-data}/postmaster.pid", signal: KILL }
        recovery:
          # Promotion can finish before the first check of `recovered` on a loaded machine; an outage nobody
          # observed would make the RTO inconclusive, so the standby stays a standby for half a second first.
          - name: let-the-outage-show
            wait: 500ms
          - name: promote-standby
            command: ["${pg-bin}/pg_ctl", promote, -w, -t, "60", -D, "${standby-data}"]
        recovered:
          postgres: { dsn: "${standby}", query: "SELECT 1 WHERE NOT pg_is_in_recovery()" }
          expect: { value: 1 }
          every: 100ms
          consecutive: 3
          timeout: 1m
        rpo:
          heartbeat: { dsn: "${standby}" }
        """
    }

    /// A primary and a standby streaming from it through a proxy, once the standby streams.
    struct Pair {
        let primary: PostgresFixture
        let standby: PostgresFixture
        let proxy: StallingTCPProxy

        static func start() async throws -> Pair {
            let primary = try await PostgresFixture.start()
            do {
                let proxy = try StallingTCPProxy(upstreamPort: primary.port)
                let standby = try await primary.makeStandby(throughPort: proxy.port)
                let pair = Pair(primary: primary, standby: standby, proxy: proxy)
                try await DrillHarness.waitUntil("the standby streams through the proxy") {
                    (try? await DrillHarness.scalar(primary, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'")) == "1"
                }
                return pair
            } catch {
                primary.stop()
                throw error
            }
        }

        func stop() {
            proxy.stop()
            standby.stop()
            primary.stop()
        }

        func vars() -> [String: String] {
            [
                "pg-bin": primary.binDirectory.path, "primary": DrillHarness.dsn(primary), "standby": DrillHarness.dsn(standby),
                "primary-data": primary.dataDirectory.path, "standby-data": standby.dataDirectory.path,
            ]
        }
    }

    @Test func aReplicaAlreadyBehindGivesALowerBoundThatIsNotMet() async throws {
        let pair = try await Pair.start()
        defer { pair.stop() }
        // The standby has the marker table (from earlier drills, say), then falls behind.
        let setup = try await PGConnection.connect(pair.primary.conninfo)
        _ = try await setup.query("""
            CREATE TABLE firedrill_heartbeat (run_id text NOT NULL, seq bigint NOT NULL, written_at double precision NOT NULL,
                                              PRIMARY KEY (run_id, seq))
            """)
        await setup.close()
        try await DrillHarness.waitUntil("the standby has the marker table") {
            (try? await DrillHarness.scalar(pair.standby, "SELECT count(*) FROM firedrill_heartbeat")) == "0"
        }
        let stalledAt = Date().timeIntervalSince1970
        pair.proxy.stall()
        try await Task.sleep(for: .milliseconds(300))

        let harness = try DrillHarness(prefix: pair.primary.commandPrefix, label: "replica-behind")
        let run = try await harness.run(try harness.writePlan(Self.plan(objectiveRPO: "1s", lead: "2s"), name: "replica-behind.yaml"),
                                        vars: pair.vars(), password: pair.primary.password, timeout: .seconds(120))
        #expect(run.status == 1, "\(run.account)")
        #expect(run.ending == "deviated", "\(run.account)")
        let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
        #expect(rpo.data["verdict"] == "not-met", "\(rpo.data)")
        #expect(rpo.data["bound"] == "lower-bound", "\(rpo.data)")
        #expect(rpo.data["met"] == false)
        let bound = try #require(rpo.data["seconds"]?.doubleValue, "\(rpo.data)")
        let detail = try #require(rpo.data["detail"])
        #expect(detail["newest-surviving-seq"] == nil, "no marker survived: \(detail)")
        // Everything acknowledged since the stall was lost: the bound is at most that, and at least most of the
        // 2s lead the heartbeat ran before the disaster.
        let newestBefore = try #require(detail["newest-before-disaster-at"]?.doubleValue)
        let truth = newestBefore - stalledAt
        #expect(bound >= 1.5 && bound <= truth + 0.05, "RPO ≥ \(bound)s; the truth is \(truth)s")
        #expect(rpo.data["summary"]?.stringValue?.hasPrefix("≥ ") == true, "\(rpo.data)")

        // In WAL terms: the bytes between the old primary's last flushed LSN and the promoted server's LSN.
        let wal = try #require(detail["wal"], "\(detail)")
        let old = try #require(wal["old-primary-flushed-lsn"]?.stringValue, "\(wal)")
        let promoted = try #require(wal["promoted-lsn"]?.stringValue, "\(wal)")
        let bytes = try #require(wal["bytes-lost"]?.doubleValue, "\(wal)")
        let promotedByTest = try #require(try await DrillHarness.scalar(pair.standby, "SELECT pg_last_wal_replay_lsn()::text"))
        #expect(promotedByTest == promoted)
        let differenceByTest = try #require(try await DrillHarness.scalar(pair.standby, "SELECT pg_wal_lsn_diff('\(old)', '\(promotedByTest)')"))
        #expect(Double(differenceByTest) == bytes, "firedrill \(bytes) bytes, the test's pg_wal_lsn_diff \(differenceByTest)")
        #expect(bytes > 0)
        // The old primary's WAL ends where pg_waldump finds no further record: firedrill's figure is what it saw
        // flushed before the disaster, so at most that, and short of it by at most the marker written after its
        // last look.
        let end = try await pair.primary.endOfWAL(from: promotedByTest)
        let truthText = try await DrillHarness.scalar(pair.standby, "SELECT pg_wal_lsn_diff('\(end)', '\(promotedByTest)')")
        let truthBytes = try #require(truthText.flatMap(Double.init), "pg_wal_lsn_diff returned \(truthText ?? "NULL")")
        #expect(bytes <= truthBytes && truthBytes - bytes <= 8192, "firedrill \(bytes) bytes lost, the old primary's WAL ends \(truthBytes) bytes past the promotion")
        print("replica behind: RPO ≥ \(bound)s (truth \(truth)s); WAL lost \(Int(bytes)) bytes, old primary's WAL end \(Int(truthBytes)) bytes past the promotion")
    }

    @Test func aStallDuringTheDrillIsMeasuredAgainstTheWritersTruth() async throws {
        let pair = try await Pair.start()
        defer { pair.stop() }
        let writer = try await TruthWriter.start(on: pair.primary)
        let harness = try DrillHarness(prefix: pair.primary.commandPrefix, label: "stall-during")
        let planPath = try harness.writePlan(Self.plan(objectiveRPO: "10s", lead: "4s"), name: "stall-during.yaml")
        async let finished = harness.run(planPath, vars: pair.vars(), password: pair.primary.password, timeout: .seconds(120))
        // Stall 1.5s after the heartbeat starts: markers written from then until the disaster (about 2.5s) are lost.
        try await DrillHarness.waitUntil("the heartbeat starts", timeout: .seconds(60)) {
            let journal = (try? String(contentsOfFile: harness.directory + "/run/journal.jsonl", encoding: .utf8)) ?? ""
            return journal.contains("\"type\":\"heartbeat.started\"")
        }
        try await Task.sleep(for: .milliseconds(1500))
        pair.proxy.stall()
        let run = try await finished
        let written = await writer.stop()

        #expect(run.status == 0, "\(run.account)")
        let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
        #expect(rpo.data["verdict"] == "met", "\(rpo.data)")
        #expect(rpo.data["bound"] == "exact", "\(rpo.data)")
        let measured = try #require(rpo.data["seconds"]?.doubleValue, "\(rpo.data)")
        let disaster = try #require(run.first("drill.injected").flatMap(DrillRun.wall))
        let truth = try await written.lossWindow(survivingOn: pair.standby, before: disaster)
        // Each figure is quantized by its own interval (100ms markers, 20ms writes); on a loaded machine a late
        // marker or write widens that, so the bound here is generous.
        #expect(abs(measured - truth) <= 0.5, "RPO \(measured)s, the writer lost \(truth)s")
        #expect(truth > 1.5, "the stall lasted about 2.5s before the disaster: \(truth)s")
        let bytes = try #require(rpo.data["detail"]?["wal"]?["bytes-lost"]?.doubleValue, "\(rpo.data)")
        #expect(bytes > 0)
        print("stall during the drill: RPO \(measured)s, the writer's truth \(truth)s, error \(Int(((measured - truth) * 1000).rounded()))ms; WAL lost \(Int(bytes)) bytes")
    }

    @Test func noMarkerAcknowledgedIsInconclusiveNotZero() async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        // Every marker is refused, so none is acknowledged.
        let setup = try await PGConnection.connect(server.conninfo)
        _ = try await setup.query("""
            CREATE TABLE firedrill_heartbeat (run_id text NOT NULL, seq bigint NOT NULL CHECK (seq < 0),
                                              written_at double precision NOT NULL, PRIMARY KEY (run_id, seq))
            """)
        await setup.close()
        let harness = try DrillHarness(prefix: server.commandPrefix, label: "no-marker")
        let plan = try harness.writePlan("""
            apiVersion: firedrill/v1
            kind: Drill
            name: no-marker
            title: The server restarts; no heartbeat marker was ever acknowledged
            environment: test
            objectives: { rto: 1m, rpo: 1s }
            vars:
              pg-ctl: /usr/lib/postgresql/15/bin/pg_ctl
              dsn: host=127.0.0.1 port=5432
              data: /srv/data
            steady-state:
              - name: server-answers
                postgres: { dsn: "${dsn}", query: "SELECT 1" }
                expect: { value: 1 }
            heartbeat:
              postgres: { dsn: "${dsn}", every: 100ms }
            disaster:
              - name: crash
                command: ["${pg-ctl}", stop, -m, immediate, -w, -D, "${data}"]
            recovery:
              - name: stay-down
                wait: 500ms
              - name: start
                command: ["${pg-ctl}", start, -w, -t, "60", -D, "${data}", -l, "${data}/../restart.log"]
            recovered:
              postgres: { dsn: "${dsn}", query: "SELECT 1" }
              expect: { value: 1 }
              every: 100ms
              consecutive: 3
              timeout: 1m
            rpo:
              heartbeat: { dsn: "${dsn}" }
            """, name: "no-marker.yaml")
        let run = try await harness.run(plan, vars: [
            "pg-ctl": server.binDirectory.appendingPathComponent("pg_ctl").path, "dsn": DrillHarness.dsn(server),
            "data": server.dataDirectory.path,
        ], password: server.password, timeout: .seconds(120))
        #expect(run.status == 5, "\(run.account)")
        #expect(run.ending == "inconclusive", "\(run.account)")
        #expect(run.first("rto.measured")?.data["verdict"] == "met", "\(run.account)")
        let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
        #expect(rpo.data["verdict"] == "inconclusive", "\(rpo.data)")
        #expect(rpo.data["seconds"] == .null, "no figure, not 0: \(rpo.data)")
        #expect((run.first("heartbeat.stopped")?.data["acknowledged"]?.doubleValue ?? -1) == 0)
        let report = try String(contentsOfFile: run.runDirectory + "/report.md", encoding: .utf8)
        #expect(report.contains("INCONCLUSIVE"), "\(report.prefix(800))")
    }
}
