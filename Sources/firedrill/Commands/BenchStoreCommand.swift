import ArgumentParser
import FiredrillCore
import FiredrillStore
import Foundation

/// `firedrill bench-store STORE PLANS_DIR` (hidden): fills a store with synthetic runs of scheduled plans and
/// writes those plans, for the `history` and `due` benchmark.
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-store", abstract: "Fill a history store with synthetic runs (benchmark).", shouldDisplay: false)

    @Argument(help: "The store: a SQLite file or a postgresql:// URI.")
    var store: String

    @Argument(help: "The folder to write the scheduled plans to.")
    var plansDirectory: String

    @Option(help: "Plans.")
    var plans: Int = 100

    @Option(help: "Runs in all.")
    var runs: Int = 10_000

    func run() async throws {
        try FileManager.default.createDirectory(atPath: plansDirectory, withIntermediateDirectories: true)
        for p in 0..<plans {
            let text = """
            apiVersion: firedrill/v1
            kind: Drill
            name: bench-plan-\(p)
            title: synthetic drill \(p)
            environment: staging
            schedule: { cron: "\(p % 60) 3 * * *", timezone: Europe/Berlin }
            objectives: { rto: 60s }
            disaster:
              - command: [true]
            recovered:
              command: [true]

            """
            try text.write(toFile: plansDirectory + "/bench-plan-\(p).yaml", atomically: true, encoding: .utf8)
        }
        let opened = try await StoreLocation.open(store)
        let perPlan = max(1, runs / max(1, plans))
        // Daily runs ending yesterday, a few days skipped and a few failed, so `due` has misses to find.
        let yesterday = (Date().timeIntervalSince1970 / 86_400).rounded(.down) * 86_400 - 86_400
        var written = 0
        for p in 0..<plans {
            var planWritten = 0
            // Bounded: at most twice as many days as runs per plan.
            for d in 0..<(2 * perPlan) where planWritten < perPlan && written < runs {
                if (d + p) % 17 == 5 { continue }
                let start = Date(timeIntervalSince1970: yesterday - Double(d) * 86_400 + 2 * 3600 + Double(p % 60) * 60 + 30)
                let startedAt = RunRecord.rfc3339(start)
                let directory = "/srv/reports/bench-\(p)-\(d)"
                let rto = 20 + Double((d * 7 + p) % 60)
                try await opened.save(RunRecord(
                    id: RunRecord.id(runDirectory: directory, startedAt: startedAt), plan: "bench-plan-\(p)",
                    planSHA256: String(repeating: "b", count: 64), kind: "Drill", environment: "staging", runBy: "cron@runner-\(p % 5)",
                    startedAt: startedAt, endedAt: RunRecord.rfc3339(start.addingTimeInterval(rto + 30)),
                    ending: (d + p) % 23 == 7 ? "failed" : "passed", reason: "synthetic", journalHead: String(repeating: "c", count: 64),
                    journalEvents: 120, runDirectory: directory, objectives: [
                        ObjectiveRecord(name: "RTO", targetSeconds: 60, achievedSeconds: rto, verdict: rto <= 60 ? "MET" : "MISSED"),
                        ObjectiveRecord(name: "RPO", targetSeconds: 5, achievedSeconds: Double(d % 7), verdict: d % 7 <= 5 ? "MET" : "MISSED"),
                    ]))
                written += 1
                planWritten += 1
            }
        }
        await opened.close()
        print("\(opened.description): \(written) runs of \(plans) plans; plans in \(plansDirectory)")
    }
}
