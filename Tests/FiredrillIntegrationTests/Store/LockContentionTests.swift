import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore

/// Runners on "different machines" (each with its own reports folder, so no local lock is shared) contend for the
/// same plans through a real shared PostgreSQL store: each plan runs at most once at a time, and no run is lost.
@Suite(.serialized) struct LockContentionTests {
    @Test func sixRunnersForTwoPlansEachPlanRunsAtMostOnceAtATimeAndNoRunIsLost() async throws {
        let server = try await PostgresFixture.start()
        defer { server.stop() }
        let dsn = try await StoreFactory.createDatabase("contention", on: server)
        let root = try TempDirectory.make(prefix: "lock-contention")
        let plans = ["orders-failover", "cache-failover"]
        var runners: [(plan: String, dir: String, child: ChildProcess)] = []
        for i in 0..<6 {
            let plan = plans[i % plans.count]
            let dir = root + "/runner-\(i)"
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try ProgramCLI.plan(name: plan, marker: dir + "/marker", sleep: 2).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
            runners.append((plan, dir, try ChildProcess([try FiredrillBinary.path(), "run", "plan.yaml", "--store", dsn, "--quiet"], workingDirectory: dir)))
        }
        var ran: [String: Int] = [:]
        for runner in runners {
            let status = await runner.child.wait(timeout: .seconds(120))
            let output = runner.child.readOutput()
            let marker = FileManager.default.fileExists(atPath: runner.dir + "/marker")
            switch status {
            case 0:
                #expect(marker, "\(output)")
                ran[runner.plan, default: 0] += 1
            case 3:
                // Refused before anything was injected, told who holds the plan.
                #expect(!marker)
                #expect(output.contains("\(runner.plan) is being run by ") && output.contains("(pid "), "\(output)")
            default:
                Issue.record("runner in \(runner.dir) exited \(status.map(String.init) ?? "never"): \(output)")
            }
        }
        let store = try await PostgresRunStore.open(dsn: dsn)
        defer { Task { await store.close() } }
        for plan in plans {
            let runs = try await store.runs(plan: plan, since: nil)
            // Every run that ran is in the store, ended, and none overlapped another run of its plan.
            #expect((ran[plan] ?? 0) >= 1)
            #expect(runs.count == ran[plan] ?? 0, "\(runs.map(\.runDirectory))")
            #expect(runs.allSatisfy { $0.ending == "passed" })
            for (earlier, later) in zip(runs, runs.dropFirst()) {
                let end = try #require(earlier.endedEpoch)
                #expect(end <= later.startedEpoch, "\(earlier.runDirectory) ended after \(later.runDirectory) started")
            }
        }
    }
}
