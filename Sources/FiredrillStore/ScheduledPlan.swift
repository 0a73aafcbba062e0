import FiredrillCore
import FiredrillDrivers
import Foundation

/// A plan with a `schedule:`, its cron parsed and its timezone resolved.
public struct ScheduledPlan: Sendable {
    public var plan: Plan
    public var file: String
    public var cron: CronExpression
    public var timeZone: TimeZone

    /// The scheduled plans among the plan files under `paths` (default: `experiments` and `drills`, else `.`), and
    /// the files that are not valid plans.
    public static func load(_ paths: [String]) -> (plans: [ScheduledPlan], invalid: [String], missing: [String]) {
        let (files, missing) = PlanFiles.expand(PlanFiles.roots(paths))
        var plans: [ScheduledPlan] = []
        var invalid: [String] = []
        for file in files {
            guard let plan = PlanLoader.load(path: file, catalog: BuiltinDrivers.catalog).plan else {
                invalid.append(file)
                continue
            }
            // The loader has validated both already.
            guard let schedule = plan.schedule, let cron = try? CronExpression.parse(schedule.cron),
                  let zone = TimeZone(identifier: schedule.timezone) else { continue }
            plans.append(ScheduledPlan(plan: plan, file: file, cron: cron, timeZone: zone))
        }
        return (plans.sorted { $0.plan.name < $1.plan.name }, invalid, missing)
    }

    /// The timezone as the plan names it (Foundation spells `UTC` as `GMT`).
    public var timeZoneName: String { plan.schedule?.timezone ?? timeZone.identifier }

    /// `0 3 1 * * (Europe/Paris)`.
    public var scheduleText: String { "\(cron.text) (\(timeZoneName))" }
}
