import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `drills/local-postgres-failover.yaml` end to end on two real PostgreSQL servers: a primary and a streaming
/// standby made by `pg_basebackup -R`. The primary is SIGKILLed, the standby promoted, RTO and RPO measured, the
/// rows verified, and the old primary rebuilt with pg_rewind as a standby of the new one. Fails, never skips, when
/// PostgreSQL is not installed.
@Suite(.serialized) struct LocalPostgresFailoverDrillTests {
    @Test func primaryIsKilledStandbyPromotedAndOldPrimaryRebuilt() async throws {
        // pg_rewind needs hint bits in the WAL and the WAL back to the last common checkpoint.
        let primary = try await PostgresFixture.start(.init(settings: ["wal_log_hints": "on", "wal_keep_size": "'128MB'"]))
        defer { primary.stop() }
        try await DrillHarness.makeOrders(on: primary, rows: 250)
        let standby = try await primary.makeStandby()
        defer { standby.stop() }
        try await DrillHarness.waitUntil("the standby has the orders") {
            (try? await DrillHarness.scalar(standby, "SELECT count(*) FROM orders")) == "250"
        }

        let harness = try DrillHarness(prefix: primary.commandPrefix, label: "failover")
        let run = try await harness.run(DrillHarness.examplePlan("local-postgres-failover.yaml"), vars: [
            "pg-bin": primary.binDirectory.path,
            "primary": DrillHarness.dsn(primary),
            "standby": DrillHarness.dsn(standby),
            "primary-port": String(primary.port),
            "primary-data": primary.dataDirectory.path,
            "standby-data": standby.dataDirectory.path,
            "failback-log": primary.directory.appendingPathComponent("failback.log").path,
        ], password: primary.password)

        #expect(run.status == 0, "\(run.account)")
        #expect(run.ending == "passed", "\(run.account)")
        #expect(run.journalValid)

        let rto = try #require(run.first("rto.measured"), "\(run.account)")
        let rtoSeconds = try #require(rto.data["seconds"]?.doubleValue)
        #expect(rtoSeconds > 0 && rtoSeconds < 30, "RTO \(rtoSeconds)s")
        #expect(rto.data["met"] == true)
        #expect(rto.data["objective"]?.doubleValue == 30)
        let detection = try #require(rto.data["detection-seconds"]?.doubleValue, "the outage was never detected")
        #expect(detection >= 0 && detection <= rtoSeconds)
        #expect(run.first("drill.detected") != nil && run.first("drill.stable") != nil)
        // The promotion waits for a check of `recovered` after the kill, so even a quick one cannot hide the outage.
        let detected = try #require(run.first("drill.detected"))
        let recoveryStarted = try #require(run.events.first { $0.type == "phase.started" && $0.data["phase"] == "recovery" })
        #expect(detected.seq < recoveryStarted.seq, "the outage is observed before the runbook repairs it")

        let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
        #expect(rpo.data["mode"] == "heartbeat")
        let rpoSeconds = try #require(rpo.data["seconds"]?.doubleValue, "\(rpo.data)")
        let lost = try #require(rpo.data["detail"]?["markers-lost"]?.doubleValue)
        #expect(lost >= 0)
        // Asynchronous replication on loopback: at most a marker or two is in flight when the primary dies.
        #expect(rpoSeconds >= 0 && rpoSeconds < 0.5, "RPO \(rpoSeconds)s, \(lost) markers lost")
        #expect(rpo.data["met"] == true)
        let stopped = try #require(run.first("heartbeat.stopped"))
        #expect((stopped.data["acknowledged"]?.doubleValue ?? 0) >= 3, "markers are written before the disaster")

        #expect(run.verifyResults.count == 2)
        #expect(run.verifyResults.allSatisfy { $0.data["passed"] == true }, "\(run.account)")

        // Failback: the old primary streams from the new one, and the steady state holds in the new topology.
        #expect(run.first("failback.verified")?.data["ok"] == true, "\(run.account)")
        #expect(try await DrillHarness.scalar(primary, "SELECT pg_is_in_recovery()") == "t")
        #expect(try await DrillHarness.scalar(standby, "SELECT pg_is_in_recovery()") == "f")
        #expect(try await DrillHarness.scalar(standby, "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == "1")
        #expect(try await DrillHarness.scalar(primary, "SELECT count(*) FROM orders") == "250")

        #expect(try await harness.verify(run) == 0)
    }
}
