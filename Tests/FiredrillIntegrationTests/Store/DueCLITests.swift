import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore

/// `firedrill due`: next due time from the cron in the plan's timezone (across a daylight-saving change), the last
/// run, missed due dates, and a non-zero exit while a drill is overdue.
@Suite(.serialized) struct DueCLITests {
    static func run(_ plan: String, at startedAt: String, ending: String = "passed") -> RunRecord {
        let directory = "/reports/\(startedAt)-\(plan)"
        return RunRecord(id: RunRecord.id(runDirectory: directory, startedAt: startedAt), plan: plan, planSHA256: String(repeating: "1", count: 64),
                         kind: "Experiment", environment: "test", runBy: "cron@runner", startedAt: startedAt,
                         endedAt: startedAt, ending: ending, runDirectory: directory)
    }

    static func rows(_ output: String) throws -> [String: [String: Any]] {
        guard let open = output.firstIndex(of: "["), let close = output.lastIndex(of: "]"),
              let rows = try JSONSerialization.jsonObject(with: Data(output[open...close].utf8)) as? [[String: Any]] else {
            throw ProgramCLI.HistoryUnreadable(output: output, status: 0)
        }
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["plan"] as? String ?? "", $0) })
    }

    /// `due` and `history` only read: with no store yet they report plans never run and no runs, and create neither
    /// the store nor its folder (a read-only checkout, an auditor's copy).
    @Test func readingAStoreThatDoesNotExistCreatesNothing() async throws {
        let dir = try TempDirectory.make(prefix: "due-no-store")
        try FileManager.default.createDirectory(atPath: dir + "/plans", withIntermediateDirectories: true)
        try ProgramCLI.plan(name: "weekly", marker: dir + "/m", schedule: "{ cron: \"0 9 * * 1\", timezone: UTC }")
            .write(toFile: dir + "/plans/weekly.yaml", atomically: true, encoding: .utf8)
        let due = try await ProgramCLI.run(["due", "plans", "--now", "2026-03-25T12:00:00Z"], in: dir)
        #expect(due.status == 1, "\(due.output)")
        #expect(due.output.contains("weekly") && due.output.contains("never") && due.output.contains("OVERDUE"), "\(due.output)")
        let history = try await ProgramCLI.run(["history"], in: dir)
        #expect(history.status == 0 && history.output.contains("No runs recorded in reports/.firedrill-history.sqlite."), "\(history.output)")
        let elsewhere = try await ProgramCLI.run(["history", "--store", dir + "/archive/history.sqlite"], in: dir)
        #expect(elsewhere.status == 0, "\(elsewhere.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/reports") && !FileManager.default.fileExists(atPath: dir + "/archive"))
    }

    @Test func aDueDateSkippedByTheSpringForwardIsStillDueAndAMissedOneMakesTheExitNonZero() async throws {
        let dir = try TempDirectory.make(prefix: "due")
        try FileManager.default.createDirectory(atPath: dir + "/plans", withIntermediateDirectories: true)
        // 02:30 does not exist in Berlin on 2026-03-29: the clocks jump from 02:00 to 03:00 (01:00 UTC).
        try ProgramCLI.plan(name: "nightly", marker: dir + "/m1", schedule: "{ cron: \"30 2 * * *\", timezone: Europe/Berlin }")
            .write(toFile: dir + "/plans/nightly.yaml", atomically: true, encoding: .utf8)
        try ProgramCLI.plan(name: "weekly", marker: dir + "/m2", schedule: "{ cron: \"0 9 * * 1\", timezone: America/New_York }")
            .write(toFile: dir + "/plans/weekly.yaml", atomically: true, encoding: .utf8)
        try ProgramCLI.plan(name: "by-hand", marker: dir + "/m3").write(toFile: dir + "/plans/by-hand.yaml", atomically: true, encoding: .utf8)
        let storePath = dir + "/history.sqlite"
        let store = try await SQLiteRunStore.open(path: storePath)
        for record in [Self.run("nightly", at: "2026-03-27T01:31:00.000000Z"), Self.run("nightly", at: "2026-03-28T01:31:00.000000Z"),
                       Self.run("weekly", at: "2026-03-23T13:00:05.000000Z"), Self.run("by-hand", at: "2026-03-28T10:00:00.000000Z")] {
            try await store.save(record)
        }

        let now = "2026-03-29T12:00:00Z"
        let due = try await ProgramCLI.run(["due", "plans", "--store", storePath, "--now", now, "--format", "json"], in: dir)
        #expect(due.status == 1, "\(due.output)")
        #expect(due.output.contains("overdue: nightly"))
        let rows = try Self.rows(due.output)
        #expect(rows.count == 2)
        let nightly = try #require(rows["nightly"])
        #expect(nightly["overdue"] as? Bool == true)
        #expect(nightly["missedDue"] as? [String] == ["2026-03-29T01:00:00.000000Z"])
        #expect(nightly["nextDue"] as? String == "2026-03-30T00:30:00.000000Z")
        #expect(nightly["lastRun"] as? String == "2026-03-28T01:31:00.000000Z")
        let weekly = try #require(rows["weekly"])
        #expect(weekly["overdue"] as? Bool == false)
        #expect(weekly["missed"] as? Int == 0)
        // Monday 09:00 in New York, on daylight time since 8 March: 13:00 UTC.
        #expect(weekly["nextDue"] as? String == "2026-03-30T13:00:00.000000Z")

        let table = try await ProgramCLI.run(["due", "plans", "--store", storePath, "--now", now], in: dir)
        #expect(table.status == 1)
        #expect(table.output.contains("PLAN") && table.output.contains("NEXT DUE (UTC)") && table.output.contains("OVERDUE"))
        #expect(table.output.contains("30 2 * * * (Europe/Berlin)"))

        // The drill runs late but within the grace period: nothing is overdue any more.
        try await store.save(Self.run("nightly", at: "2026-03-29T01:40:00.000000Z"))
        let caughtUp = try await ProgramCLI.run(["due", "plans", "--store", storePath, "--now", now, "--format", "json"], in: dir)
        #expect(caughtUp.status == 0, "\(caughtUp.output)")
        #expect(try Self.rows(caughtUp.output)["nightly"]?["overdue"] as? Bool == false)

        // A failed run does not count as the drill done.
        try await store.save(Self.run("weekly", at: "2026-03-30T13:00:05.000000Z", ending: "failed"))
        let failed = try await ProgramCLI.run(["due", "plans", "--store", storePath, "--now", "2026-03-31T12:00:00Z", "--format", "json"], in: dir)
        #expect(failed.status == 1, "\(failed.output)")
        #expect(try Self.rows(failed.output)["weekly"]?["lastEnding"] as? String == "failed")
        await store.close()
    }
}
