import ArgumentParser
import FiredrillCore
import FiredrillStore
import Foundation

/// `firedrill due [DIR]` — each scheduled plan's last run, next due time, and whether it is overdue or was missed.
struct DueCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "due",
        abstract: "Show when each scheduled plan is due, and which drills are overdue or were missed.",
        discussion: """
        Due times come from the plan's schedule cron in its timezone (daylight saving included). A run counts for
        the latest due time at or before its start plus --grace. A drill is overdue when its latest due time more
        than --grace ago has no run that passed or deviated (missed, or failed); a plan never run counts from a week
        back (or --since).
        Exit codes: 0 nothing overdue, 1 a drill is overdue, 3 the store could not be read, 4 an invalid plan.
        """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "Plan files or folders (default: experiments and drills).")
    var paths: [String] = []

    @Option(help: ArgumentHelp("How long after a due time a run may start and still count for it.", valueName: "duration"))
    var grace: String = "1h"

    @Option(help: ArgumentHelp("Count missed drills from this time (default: each plan's first run).", discussion: TimeArgument.help))
    var since: String?

    @Option(help: "table or json.")
    var format: Format = .table

    @Option(name: .customLong("reports"), help: "Reports root (where the default SQLite store lives).")
    var reportsRoot: String = "reports"

    @Option(help: .hidden)
    var now: String?

    @OptionGroup var storeOptions: StoreOptions

    struct Row: Codable {
        var plan: String
        var file: String
        var schedule: String
        var lastRun: String?
        var lastEnding: String?
        var nextDue: String?
        var overdue: Bool
        var missed: Int
        var missedDue: [String]
    }

    func run() async throws {
        let nowDate: Date
        if let now {
            guard let parsed = TimeArgument.parse(now) else {
                Console.error("--now \(now): not a time; give \(TimeArgument.help)")
                throw ExitStatus.invalid
            }
            nowDate = parsed
        } else {
            nowDate = Date()
        }
        guard let graceDuration = try? DurationSyntax.parse(grace) else {
            Console.error("--grace \(grace): not a duration; write it with a unit: 30m, 1h, 2d")
            throw ExitStatus.invalid
        }
        var sinceDate: Date?
        if let since {
            guard let parsed = TimeArgument.parse(since, now: nowDate) else {
                Console.error("--since \(since): not a time; give \(TimeArgument.help)")
                throw ExitStatus.invalid
            }
            sinceDate = parsed
        }
        let loaded = ScheduledPlan.load(paths)
        for m in loaded.missing { Console.error("\(m): no such file or directory") }
        for file in loaded.invalid { Console.error("\(file): not a valid plan; run `firedrill validate \(file)`") }
        let names = Set(loaded.plans.map(\.plan.name))
        let (byPlan, _) = try await storeOptions.read(reportsRoot: reportsRoot) { store in
            var byPlan: [String: [RunStart]] = [:]
            for run in try await store.starts(plan: names.count == 1 ? names.first : nil) where names.contains(run.plan) {
                byPlan[run.plan, default: []].append(run)
            }
            return byPlan
        }
        let (seconds, attoseconds) = graceDuration.components
        let rows = loaded.plans.map { scheduled in
            let cadence = DrillCadence.compute(cron: scheduled.cron, timeZone: scheduled.timeZone, starts: byPlan[scheduled.plan.name] ?? [],
                                               now: nowDate, from: sinceDate, grace: Double(seconds) + Double(attoseconds) / 1e18)
            let missed = cadence.slots.filter { $0.status == .missed }
            return Row(plan: scheduled.plan.name, file: scheduled.file, schedule: scheduled.scheduleText,
                       lastRun: cadence.lastRun?.startedAt, lastEnding: cadence.lastRun.map { $0.ending ?? "in progress" },
                       nextDue: cadence.next.map(RunRecord.rfc3339), overdue: cadence.overdue, missed: missed.count,
                       missedDue: missed.map { RunRecord.rfc3339($0.due) })
        }
        switch format {
        case .table:
            if rows.isEmpty {
                print("No scheduled plans found.")
            } else {
                var table: [[String]] = [["PLAN", "SCHEDULE", "LAST RUN (UTC)", "LAST ENDING", "NEXT DUE (UTC)", "STATUS", "MISSED"]]
                for row in rows {
                    table.append([row.plan, row.schedule, row.lastRun.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "never",
                                  row.lastEnding ?? "-", row.nextDue.map { String($0.prefix(16)).replacingOccurrences(of: "T", with: " ") } ?? "-",
                                  row.overdue ? "OVERDUE" : "ok", String(row.missed)])
                }
                print(TextTable.render(table))
            }
        case .json:
            print(JSONOutput.pretty(rows))
        }
        let overdue = rows.filter(\.overdue)
        if !overdue.isEmpty {
            Console.error("overdue: " + overdue.map(\.plan).joined(separator: ", "))
            throw ExitStatus.deviated
        }
        if !loaded.invalid.isEmpty { throw ExitStatus.invalid }
    }
}
