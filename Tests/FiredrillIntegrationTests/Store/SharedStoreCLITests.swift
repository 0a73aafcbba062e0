import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore

/// A team's shared PostgreSQL store, for real: one lock per plan across runners, the owed-undo interlock that sees
/// what another machine left, and a store lost at the end that loses no run.
@Suite(.serialized) struct SharedStoreCLITests {
    @Test func aSecondRunnerIsRefusedNamingWhoHoldsThePlanInTheSharedStore() async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        let dsn = try await StoreFactory.createDatabase("locks", on: server)
        let dir = try TempDirectory.make(prefix: "shared-lock")
        let marker = dir + "/marker"
        try ProgramCLI.plan(name: "db-failover", marker: marker).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)

        // Another runner, on another machine, holds the plan: its connection keeps the advisory lock.
        let other = try await PostgresRunStore.open(dsn: dsn)
        let holder = LockHolder(runBy: "sre@pod-7f9c", pid: 31337, since: "2026-11-29T03:00:00.000000Z", runDirectory: "/reports/20261129T030000Z-db-failover")
        #expect(try await other.lockPlan("db-failover", holder: holder) == .acquired)
        let refused = try await ProgramCLI.run(["run", "plan.yaml", "--store", dsn], in: dir)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.output.contains("db-failover is being run by sre@pod-7f9c (pid 31337) since 2026-11-29T03:00:00.000000Z"))
        #expect(!refused.output.contains(server.password))
        #expect(!FileManager.default.fileExists(atPath: marker))

        // Once that runner is gone, the plan runs and is recorded in the shared store.
        await other.close()
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--store", dsn, "--quiet"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: marker))
        let runs = try await ProgramCLI.history(["--store", dsn], in: dir)
        #expect(runs.count == 1 && runs.first?["ending"] as? String == "passed")
    }

    @Test func aRunIsRefusedWhenAnotherPlanAnywhereActsOnTheSameTarget() async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        let dsn = try await StoreFactory.createDatabase("targets", on: server)
        let dir = try TempDirectory.make(prefix: "shared-targets")
        let marker = dir + "/marker"
        // Refused before its first step: the pod delete (and kubectl) is never reached.
        try ProgramCLI.plan(name: "api-pod-kill", marker: marker).replacingOccurrences(of: "method:\n", with: """
            method:
              - name: kill-api
                kubernetes.pod-delete: { namespace: shop, selector: app=api }

            """).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let plan = try #require(PlanLoader.load(path: dir + "/plan.yaml", catalog: TestCatalog.builtin).plan)
        let targets = PlanTargets.targets(of: plan, resolve: { $0 })
        #expect(targets.map(\.text) == ["kubernetes namespace=shop selector=app=api"])

        // Another plan, run by another runner, acts on the same pods.
        let other = try await PostgresRunStore.open(dsn: dsn)
        let holder = LockHolder(runBy: "sre@pod-3c1d", pid: 4242, since: "2026-11-29T04:00:00.000000Z")
        #expect(try await other.lockTargets(targets, plan: "shop-chaos", holder: holder) == .acquired)
        let refused = try await ProgramCLI.run(["run", "plan.yaml", "--store", dsn], in: dir)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.output.contains("kubernetes namespace=shop selector=app=api is being acted on by a run of shop-chaos by sre@pod-3c1d (pid 4242)"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: marker))

        // A refused runner holds nothing: once the holder is gone, the targets can be locked again.
        await other.close()
        let next = try await PostgresRunStore.open(dsn: dsn)
        // The server releases the holder's locks a moment after its connection closed: at most 10 s.
        var after = TargetLockResult.unsupported
        for _ in 0..<100 {
            after = try await next.lockTargets(targets, plan: "api-pod-kill", holder: LockHolder(runBy: "test@here"))
            if after == .acquired { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(after == .acquired)
        await next.close()
    }

    @Test func aRunAnotherPodLeftOwingBlocksTheNextRunUntilForced() async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        let dsn = try await StoreFactory.createDatabase("owed", on: server)
        let dir = try TempDirectory.make(prefix: "shared-owed")
        let marker = dir + "/marker"
        try ProgramCLI.plan(name: "db-failover", marker: marker).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)

        // A pod that is gone recorded a run that ended owing an undo; its run directory went with it.
        let store = try await PostgresRunStore.open(dsn: dsn)
        let gone = "/reports/20261128T030000Z-db-failover"
        try await store.save(RunRecord(id: RunRecord.id(runDirectory: gone, startedAt: "2026-11-28T03:00:00.000000Z"), plan: "db-failover",
                                       planSHA256: String(repeating: "0", count: 64), kind: "Experiment", environment: "test",
                                       runBy: "sre@pod-gone", startedAt: "2026-11-28T03:00:00.000000Z", endedAt: "2026-11-28T03:05:00.000000Z",
                                       ending: "failed", reason: "a rollback failed", owedUndos: 1, runDirectory: gone))
        await store.close()
        let refused = try await ProgramCLI.run(["run", "plan.yaml", "--store", dsn], in: dir)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.output.contains(gone) && refused.output.contains("sre@pod-gone") && refused.output.contains("still owes 1 undo"))
        #expect(!FileManager.default.fileExists(atPath: marker))

        let forced = try await ProgramCLI.run(["run", "plan.yaml", "--store", dsn, "--force", "--quiet"], in: dir)
        #expect(forced.status == 0, "\(forced.output)")
        #expect(FileManager.default.fileExists(atPath: marker))
    }

    @Test func aStoreLostDuringTheRunKeepsTheRunAndSaysHowToBackfillIt() async throws {
        let server = try await PostgresFixture.start()
        let dir = try TempDirectory.make(prefix: "shared-lost")
        let marker = dir + "/marker"
        try ProgramCLI.plan(name: "db-failover", marker: marker, sleep: 4).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let dsn = try await StoreFactory.createDatabase("lost", on: server)
        let child = try ChildProcess([try FiredrillBinary.path(), "run", "plan.yaml", "--store", dsn, "--quiet"], workingDirectory: dir)
        // Wait (at most 60 s) for the start record, then take the store away.
        let check = try await PostgresRunStore.open(dsn: dsn)
        var started = false
        for _ in 0..<600 where !started {
            started = try await !check.runs(plan: "db-failover", since: nil).isEmpty
            if !started { try await Task.sleep(for: .milliseconds(100)) }
        }
        await check.close()
        #expect(started)
        server.stop()
        let status = await child.wait(timeout: .seconds(120))
        let output = child.readOutput()
        #expect(status == 0, "\(output)")
        #expect(FileManager.default.fileExists(atPath: marker))
        #expect(output.contains("could not record its end") && output.contains("firedrill history import"))
        #expect(!output.contains(server.password))

        // The run directory is the source of truth: import it into a store.
        let imported = try await ProgramCLI.run(["history", "import", "reports", "--store", dir + "/backfill.sqlite"], in: dir)
        #expect(imported.status == 0 && imported.output.contains("imported 1 run"), "\(imported.output)")
        let runs = try await ProgramCLI.history(["--store", dir + "/backfill.sqlite"], in: dir)
        #expect(runs.first?["ending"] as? String == "passed")
    }
}
