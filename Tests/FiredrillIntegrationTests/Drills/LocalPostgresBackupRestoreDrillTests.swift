import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `drills/local-postgres-backup-restore.yaml` end to end on a real PostgreSQL server: a base backup, rows written
/// after it, the server stopped at once and its data directory moved away, the backup restored into a new
/// directory and started. RPO is measured by the plan's `query` mode, and by `backup` (the backup_manifest) in a
/// variant of the same plan. Fails, never skips, when PostgreSQL is not installed.
@Suite(.serialized) struct LocalPostgresBackupRestoreDrillTests {
    static let queryRPO = """
        rpo:
          query: { dsn: "${dsn}", query: "SELECT max(created_at) FROM ${table}" }
        """
    static let manifestRPO = """
        rpo:
          backup: { manifest: "${work-dir}/backup/backup_manifest" }
        """

    @Test func restoresTheBackupAndMeasuresRPOByQuery() async throws {
        let (run, backup) = try await restoreDrill(plan: DrillHarness.examplePlan("local-postgres-backup-restore.yaml"), label: "restore-query")
        let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
        #expect(rpo.data["mode"] == "query")
        let seconds = try #require(rpo.data["seconds"]?.doubleValue, "\(rpo.data)")
        // Like with like: the newest row on the primary just before the disaster was written after the backup, the
        // newest surviving one just before it, so the RPO spans the backup, not the idle time until the disaster.
        let earliest = backup.writesAfter - backup.writesBeforeEnd - 0.05
        let latest = backup.writesAfterEnd - backup.writesBefore + 0.05
        #expect(seconds >= earliest && seconds <= latest, "RPO \(seconds)s, expected between \(earliest)s and \(latest)s")
        #expect(rpo.data["met"] == true)
        #expect(rpo.data["verdict"] == "met")
        #expect(run.first("rpo.before")?.data["before"]?["newest"]?.doubleValue != nil, "\(run.account)")
    }

    @Test func restoresTheBackupAndMeasuresRPOByTheBackupManifest() async throws {
        let harnessText = try String(contentsOfFile: DrillHarness.examplePlan("local-postgres-backup-restore.yaml"), encoding: .utf8)
        try #require(harnessText.contains(Self.queryRPO), "the example plan's rpo section changed")
        let variant = harnessText.replacingOccurrences(of: Self.queryRPO, with: Self.manifestRPO)
        let planDirectory = try TempDirectory.make(prefix: "firedrill-manifest-plan")
        let plan = planDirectory + "/local-postgres-backup-restore-manifest.yaml"
        try variant.write(toFile: plan, atomically: true, encoding: .utf8)

        let (run, backup) = try await restoreDrill(plan: plan, label: "restore-manifest")
        let rpo = try #require(run.first("rpo.measured"), "\(run.account)")
        #expect(rpo.data["mode"] == "backup")
        let seconds = try #require(rpo.data["seconds"]?.doubleValue, "\(rpo.data)")
        // pg_basebackup writes backup_manifest last: its time is the backup's stop time.
        let earliest = backup.injected - backup.end - 0.05
        let latest = backup.injected - backup.start + 0.05
        #expect(seconds >= earliest && seconds <= latest, "RPO \(seconds)s, expected between \(earliest)s and \(latest)s")
        #expect(rpo.data["met"] == true)
    }

    /// Instants from the journal, in seconds since 1970.
    struct BackupInstants {
        var writesBefore: Double
        var writesBeforeEnd: Double
        var writesAfter: Double
        var writesAfterEnd: Double
        var start: Double
        var end: Double
        var injected: Double
    }

    /// Runs the restore drill `plan` against a fresh server and checks what both variants share.
    func restoreDrill(plan: String, label: String) async throws -> (DrillRun, BackupInstants) {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        try await DrillHarness.makeOrders(on: server, rows: 120)
        let workDirectory = server.directory.appendingPathComponent("drill-work").path
        // The drill leaves the restored server running, inside the fixture's directory: stop it whatever happens.
        let outcome: Result<(DrillRun, BackupInstants), any Error>
        do {
            outcome = .success(try await runRestoreDrill(plan: plan, label: label, server: server, workDirectory: workDirectory))
        } catch {
            outcome = .failure(error)
        }
        let restored = workDirectory + "/restored"
        if FileManager.default.fileExists(atPath: restored + "/postmaster.pid") {
            let stop = server.commandPrefix + [server.binDirectory.appendingPathComponent("pg_ctl").path,
                                               "-D", restored, "-m", "immediate", "-w", "-t", "20", "stop"]
            try await DrillHarness.execute(stop, outputPath: server.directory.path + "/stop-restored.out", timeout: .seconds(30))
        }
        return try outcome.get()
    }

    func runRestoreDrill(plan: String, label: String, server: PostgresFixture, workDirectory: String) async throws -> (DrillRun, BackupInstants) {
        let harness = try DrillHarness(prefix: server.commandPrefix, label: label)
        let run = try await harness.run(plan, vars: [
            "pg-bin": server.binDirectory.path,
            "dsn": DrillHarness.dsn(server),
            "port": String(server.port),
            "data-dir": server.dataDirectory.path,
            "work-dir": workDirectory,
        ], password: server.password)

        #expect(run.status == 0, "\(run.account)")
        #expect(run.ending == "passed", "\(run.account)")
        #expect(run.journalValid)

        let rto = try #require(run.first("rto.measured"), "\(run.account)")
        let rtoSeconds = try #require(rto.data["seconds"]?.doubleValue)
        #expect(rtoSeconds > 0 && rtoSeconds < 300, "RTO \(rtoSeconds)s")
        #expect(rto.data["met"] == true)
        #expect(rto.data["detection-seconds"]?.doubleValue != nil, "the outage was never detected")

        // The restored table is the backup's state: the baseline's rows and checksum, without the rows written
        // after the backup.
        #expect(run.verifyResults.map(\.step) == ["restored-count", "restored-checksum"])
        #expect(run.verifyResults.allSatisfy { $0.data["passed"] == true }, "\(run.account)")
        let baselineCount = try #require(run.events.first { $0.type == "probe.result" && $0.step == "baseline-count" }?.data["observed"]?["value"]?.doubleValue)
        #expect(baselineCount == 130)
        #expect(FileManager.default.fileExists(atPath: workDirectory + "/lost-data/PG_VERSION"), "the lost data directory is kept")
        #expect(run.first("recovery.checked")?.data["recovered"] == true, "\(run.account)")

        #expect(try await harness.verify(run) == 0)

        let writes = try #require(run.events.first { $0.type == "probe.result" && $0.step == "writes-before-backup" })
        let writesAfter = try #require(run.events.first { $0.type == "probe.result" && $0.step == "writes-after-backup" })
        let backupResult = try #require(run.events.first { $0.type == "probe.result" && $0.step == "base-backup" })
        let instants = BackupInstants(
            writesBefore: try #require(DrillRun.wall(writes)) - (writes.data["seconds"]?.doubleValue ?? 0),
            writesBeforeEnd: try #require(DrillRun.wall(writes)),
            writesAfter: try #require(DrillRun.wall(writesAfter)) - (writesAfter.data["seconds"]?.doubleValue ?? 0),
            writesAfterEnd: try #require(DrillRun.wall(writesAfter)),
            start: try #require(DrillRun.wall(backupResult)) - (backupResult.data["seconds"]?.doubleValue ?? 0),
            end: try #require(DrillRun.wall(backupResult)),
            injected: try #require(run.first("drill.injected").flatMap(DrillRun.wall)))
        return (run, instants)
    }
}
