import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore

/// One conformance suite, run against both back ends: SQLite in a temporary folder and a real PostgreSQL server.
/// Each scenario gets a fresh store.
@Suite(.serialized) struct RunStoreConformanceTests {
    static func record(_ n: Int, plan: String = "db-failover", started: String? = nil, ending: String? = nil,
                       owed: Int = 0, objectives: [ObjectiveRecord] = []) -> RunRecord {
        let startedAt = started ?? String(format: "2026-11-%02dT03:00:00.000000Z", 1 + n % 28)
        let directory = "/srv/reports/\(startedAt.prefix(10))-\(plan)-\(n)"
        return RunRecord(id: RunRecord.id(runDirectory: directory, startedAt: startedAt), plan: plan, planSHA256: String(repeating: "ab", count: 32),
                         kind: "Drill", environment: "staging", runBy: "sre@runner-\(n)", startedAt: startedAt,
                         endedAt: ending == nil ? nil : startedAt.replacingOccurrences(of: "T03:", with: "T04:"), ending: ending,
                         reason: ending.map { "the run \($0)" }, journalHead: ending == nil ? nil : String(repeating: "cd", count: 32),
                         journalEvents: ending == nil ? nil : 40 + n, owedUndos: owed, runDirectory: directory, objectives: objectives)
    }

    @Test(arguments: StoreBackend.allCases)
    func aFreshStoreIsMigratedToTheCurrentSchemaAndAnOlderOneIsUpgradedKeepingItsRuns(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let fresh = try await factory.open(try await factory.freshLocation("fresh"))
        #expect(try await fresh.schemaVersion() == StoreSchema.currentVersion)
        await fresh.close()

        let location = try await factory.freshLocation("upgraded")
        let old = try await factory.open(location, schema: 1)
        #expect(try await old.schemaVersion() == 1)
        let run = Self.record(1, ending: "passed")
        try await old.save(run)
        await old.close()
        let upgraded = try await factory.open(location)
        #expect(try await upgraded.schemaVersion() == StoreSchema.currentVersion)
        #expect(try await upgraded.run(id: run.id) == run)
        // Opening again applies nothing twice.
        await upgraded.close()
        let again = try await factory.open(location)
        #expect(try await again.schemaVersion() == StoreSchema.currentVersion)
        await again.close()
    }

    /// Runners that start together against a store nobody has opened yet (a fresh shared database, a new
    /// reports root) all get the schema: none fails on another's half-made tables.
    @Test(arguments: StoreBackend.allCases)
    func runnersOpeningAFreshStoreAtOnceAllGetTheCurrentSchema(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        for round in 0..<4 {
            let location = try await factory.freshLocation("together\(round)")
            let versions = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let store = try await factory.open(location)
                        let version = try await store.schemaVersion()
                        await store.close()
                        return version
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(versions == Array(repeating: StoreSchema.currentVersion, count: 8), "round \(round)")
            let store = try await factory.open(location)
            let applied = try await (store as! any SQLDatabase).rows("SELECT COUNT(*) FROM firedrill_schema_migrations", [])
            #expect(applied.first?.first == String(StoreSchema.currentVersion), "each migration recorded once")
            await store.close()
        }
    }

    @Test(arguments: StoreBackend.allCases)
    func aStoreWrittenByANewerFiredrillIsRefusedWithAClearMessage(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let location = try await factory.freshLocation("newer")
        let store = try await factory.open(location)
        try await (store as! any SQLDatabase).transaction([("INSERT INTO firedrill_schema_migrations (version, applied_at) VALUES (?, ?)", ["99", "2030-01-01T00:00:00Z"])])
        await store.close()
        let error = await #expect(throws: StoreError.self) { try await factory.open(location) }
        #expect(error?.description.contains("schema version 99, newer than this firedrill knows") == true)
    }

    @Test(arguments: StoreBackend.allCases)
    func theStartRecordIsReplacedByTheEndRecordWithItsObjectivesExactly(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let store = try await factory.open(try await factory.freshLocation("startend"))
        defer { Task { await store.close() } }
        let start = Self.record(3)
        try await store.save(start)
        #expect(try await store.run(id: start.id) == start)
        #expect(try await store.unfinishedRuns(plan: start.plan).map(\.id) == [start.id])

        var end = Self.record(3, ending: "deviated", objectives: [
            ObjectiveRecord(name: "RPO", targetSeconds: 5, achievedSeconds: nil, verdict: "NOT MEASURED"),
            ObjectiveRecord(name: "RTO", targetSeconds: 60, achievedSeconds: 42.123456, verdict: "MET"),
        ])
        end.reason = "steady state \"orders\" failed — après l'injection"
        try await store.save(end)
        #expect(try await store.run(id: start.id) == end)
        #expect(try await store.unfinishedRuns(plan: start.plan).isEmpty)
        #expect(try await store.runs(plan: nil, since: nil).count == 1)

        // Saving again with fewer objectives replaces them rather than adding.
        end.objectives = [ObjectiveRecord(name: "RTO", targetSeconds: 60, achievedSeconds: 0.000001, verdict: "MET")]
        try await store.save(end)
        #expect(try await store.run(id: start.id) == end)
        #expect(try await store.run(id: "no-such-run") == nil)
    }

    @Test(arguments: StoreBackend.allCases)
    func aRunThatEndedOwingUndosIsUnfinishedUntilItsRecordSaysOtherwise(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let store = try await factory.open(try await factory.freshLocation("owed"))
        defer { Task { await store.close() } }
        var owing = Self.record(5, ending: "failed", owed: 2)
        try await store.save(owing)
        try await store.save(Self.record(6, ending: "passed"))
        try await store.save(Self.record(7, plan: "pod-kill"))
        #expect(try await store.unfinishedRuns(plan: "db-failover").map(\.owedUndos) == [2])
        #expect(try await store.unfinishedRuns(plan: "pod-kill").count == 1)
        owing.owedUndos = 0
        try await store.save(owing)
        #expect(try await store.unfinishedRuns(plan: "db-failover").isEmpty)
    }

    @Test(arguments: StoreBackend.allCases)
    func runsAreListedOldestFirstByPlanAndSinceAndTheLatestOfEachPlanIsFound(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let store = try await factory.open(try await factory.freshLocation("listing"))
        defer { Task { await store.close() } }
        let plans = ["db-failover", "pod-kill", "backup-restore"]
        // Saved out of order: the store orders by start.
        for n in [9, 2, 14, 5, 1, 20, 11] {
            try await store.save(Self.record(n, plan: plans[n % 3], ending: n % 2 == 0 ? "passed" : "failed",
                                             objectives: [ObjectiveRecord(name: "RTO", targetSeconds: 30, achievedSeconds: Double(n), verdict: n > 30 ? "MISSED" : "MET")]))
        }
        let all = try await store.runs(plan: nil, since: nil)
        #expect(all.map(\.startedAt) == all.map(\.startedAt).sorted())
        #expect(all.count == 7)
        // n % 3 picks the plan; the start day is 1 + n.
        let backup = try await store.runs(plan: "backup-restore", since: nil)
        #expect(backup.map(\.objectives.first?.achievedSeconds) == [2, 5, 11, 14, 20])
        let since = Date(timeIntervalSince1970: RunRecord.epoch("2026-11-10T00:00:00Z")!)
        let recent = try await store.runs(plan: nil, since: since)
        #expect(recent.map(\.objectives.first?.achievedSeconds) == [9, 11, 14, 20])
        #expect(try await store.runs(plan: "backup-restore", since: since).count == 3)
        // What the table shows is the same through the lighter read; `due` reads starts and endings only.
        let shown = { (r: RunRecord) in [r.id, r.plan, r.environment, r.runBy, r.startedAt, r.endedAt ?? "", r.ending ?? ""] }
        let summaries = try await store.runSummaries(plan: nil, since: since)
        #expect(summaries.map(shown) == recent.map(shown) && summaries.map(\.objectives) == recent.map(\.objectives))
        #expect(try await store.starts(plan: nil).map(\.startedAt) == all.map(\.startedAt))
        #expect(try await store.starts(plan: "backup-restore").map(\.ending) == backup.map(\.ending))
        let latest = try await store.latestRuns()
        #expect(latest.mapValues { String($0.startedAt.prefix(10)) } == [
            "db-failover": "2026-11-10", "pod-kill": "2026-11-02", "backup-restore": "2026-11-21",
        ])
    }

    @Test(arguments: StoreBackend.allCases)
    func twoRunnersWritingTheSameStoreAtOnceLoseNoRecord(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let location = try await factory.freshLocation("concurrent")
        let a = try await factory.open(location)
        let b = try await factory.open(location)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (offset, store) in [(0, a), (100, b)] {
                group.addTask {
                    for n in 0..<25 { try await store.save(Self.record(offset + n, plan: "p\(offset)", ending: "passed")) }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await a.runs(plan: nil, since: nil).count == 50)
        await a.close()
        await b.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func thePlanLockIsHeldAcrossConnectionsUntilItsHolderCloses(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let location = try await factory.freshLocation("locks")
        let first = try await factory.open(location)
        let second = try await factory.open(location)
        let holder = LockHolder(runBy: "sre@pod-a", pid: 4242, since: "2026-11-01T03:00:00.000000Z", runDirectory: "/reports/x")
        switch backend {
        case .sqlite:
            // One machine: the local plan lock covers it.
            #expect(try await first.lockPlan("db-failover", holder: holder) == .unsupported)
        case .postgresql:
            #expect(try await first.lockPlan("db-failover", holder: holder) == .acquired)
            #expect(try await second.lockPlan("db-failover", holder: LockHolder(runBy: "sre@pod-b")) == .held(by: holder))
            // Another plan is free.
            #expect(try await second.lockPlan("pod-kill", holder: LockHolder(runBy: "sre@pod-b")) == .acquired)
            await first.close()
            // The server releases the lock when the holder's backend has gone, a moment after the connection closed.
            var after = PlanLockResult.unsupported
            for _ in 0..<100 {
                after = try await second.lockPlan("db-failover", holder: LockHolder(runBy: "sre@pod-b", pid: 7))
                if after == .acquired { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(after == .acquired)
        }
        await first.close()
        await second.close()
    }

    /// A refusal names the runner that holds the plan lock now: never the row a finished runner left, and a holder
    /// that has the lock but has not yet written its row is waited for rather than reported as "another runner".
    @Test func aRefusalNamesOnlyTheRunnerThatHoldsThePlanLockNow() async throws {
        let factory = try await StoreFactory.start(.postgresql)
        defer { factory.stop() }
        let location = try await factory.freshLocation("holders")
        let holderStore = try #require(try await factory.open(location) as? PostgresRunStore)
        let asker = try #require(try await factory.open(location) as? PostgresRunStore)
        let key = PostgresRunStore.lockKey("firedrill.plan:db-failover")
        let finished = LockHolder(runBy: "sre@pod-gone", pid: 11, since: "2026-11-01T03:00:00.000000Z")
        let encoded = String(decoding: try JSONEncoder().encode(finished), as: UTF8.self)
        // A finished runner's row, from a server session that no longer exists.
        try await holderStore.transaction([("INSERT INTO firedrill_plan_locks (plan, holder, session) VALUES (?, ?, ?)", ["db-failover", encoded, "0"])])
        // The lock is held by a session that has not recorded itself (yet).
        #expect(try await holderStore.rows("SELECT pg_try_advisory_lock(?::bigint)", [String(key)]).first?.first == "t")
        #expect(try await asker.lockPlan("db-failover", holder: LockHolder(runBy: "sre@pod-b"), patience: .milliseconds(500)) == .held(by: nil))

        // The holder records itself while the other runner waits: the refusal names it.
        let current = LockHolder(runBy: "sre@pod-a", pid: 4242, since: "2026-11-01T04:00:00.000000Z")
        let waiting = Task { try await asker.lockPlan("db-failover", holder: LockHolder(runBy: "sre@pod-b"), patience: .seconds(60)) }
        try await Task.sleep(for: .milliseconds(300))
        try await holderStore.transaction([("UPDATE firedrill_plan_locks SET holder = ?, session = pg_backend_pid() WHERE plan = ?",
                                            [String(decoding: try JSONEncoder().encode(current), as: UTF8.self), "db-failover"])])
        #expect(try await waiting.value == .held(by: current))

        // Once the lock is released the waiting ends in the lock, whatever the row still says.
        #expect(try await holderStore.rows("SELECT pg_advisory_unlock(?::bigint)", [String(key)]).first?.first == "t")
        #expect(try await asker.lockPlan("db-failover", holder: LockHolder(runBy: "sre@pod-b")) == .acquired)
        await holderStore.close()
        await asker.close()
    }

    @Test(arguments: StoreBackend.allCases)
    func targetLocksAreAllOrNothingAndNameTheHolderAndItsPlan(_ backend: StoreBackend) async throws {
        let factory = try await StoreFactory.start(backend)
        defer { factory.stop() }
        let location = try await factory.freshLocation("targets")
        let first = try await factory.open(location)
        let second = try await factory.open(location)
        let pods = PlanTarget(text: "kubernetes namespace=shop selector=app=api", identity: "kubernetes namespace=shop selector=app=api")
        let db = PlanTarget(text: "postgres dsn=db:5432/orders", identity: "postgres dsn=db:5432/orders")
        let cache = PlanTarget(text: "aws.elasticache replication-group=sessions", identity: "aws.elasticache replication-group=sessions")
        let holder = LockHolder(runBy: "sre@pod-a", pid: 4242, since: "2026-11-01T03:00:00.000000Z", runDirectory: "/reports/x")
        switch backend {
        case .sqlite:
            #expect(try await first.lockTargets([pods], plan: "pod-kill", holder: holder) == .unsupported)
        case .postgresql:
            #expect(try await first.lockTargets([pods, db], plan: "pod-kill", holder: holder) == .acquired)
            var expected = holder
            expected.plan = "pod-kill"
            // One target in common: refused, naming that target, the holder and its plan; and it holds nothing.
            #expect(try await second.lockTargets([cache, db], plan: "db-failover", holder: LockHolder(runBy: "sre@pod-b"))
                    == .held(target: db, by: expected))
            let third = try await factory.open(location)
            #expect(try await third.lockTargets([cache], plan: "cache-failover", holder: LockHolder(runBy: "sre@pod-c")) == .acquired)
            await third.close()
            #expect(try await second.lockTargets([], plan: "no-targets", holder: LockHolder(runBy: "sre@pod-b")) == .acquired)
        }
        await first.close()
        await second.close()
    }
}
