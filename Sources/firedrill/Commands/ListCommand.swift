import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillDrivers

/// `firedrill list [DIR]` — a table of the plans found.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the plans in a directory: kind, name, environment, schedule and file."
    )

    @Argument(help: "Directories or files to search (default: experiments and drills).")
    var paths: [String] = []

    func run() throws {
        let (files, missing) = PlanFiles.expand(PlanFiles.roots(paths))
        for m in missing { StandardStreams.err("firedrill: \(m): no such file or directory\n") }
        var rows: [[String]] = [["KIND", "NAME", "ENVIRONMENT", "SCHEDULE", "FILE"]]
        var invalid = 0
        for file in files {
            let result = PlanLoader.load(path: file, catalog: BuiltinDrivers.catalog)
            if let plan = result.plan {
                let schedule = plan.schedule.map { "\($0.cron) (\($0.timezone))" } ?? "-"
                rows.append([plan.kind.rawValue, plan.name, plan.environment, schedule, file])
            } else {
                invalid += 1
                rows.append(["invalid", "-", "-", "-", file])
            }
        }
        print(TextTable.render(rows))
        if invalid > 0 {
            print("\(invalid) invalid plan\(invalid == 1 ? "" : "s"): run `firedrill validate` on \(invalid == 1 ? "it" : "them") for details")
        }
    }
}
