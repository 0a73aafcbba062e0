import ArgumentParser
import Foundation
import FiredrillCore

/// `firedrill plan FILE` — the dry run: phases, resolved parameters and exact argv, changing nothing.
struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Dry-run a plan: print its phases, resolved parameters and the argv each step would run."
    )

    @Argument(help: "The plan file.")
    var file: String

    @Option(name: .customLong("var"), help: "Override a var: --var name=value (repeatable).")
    var vars: [String] = []

    func run() throws {
        let overrides = try VarOption.parse(vars)
        let result = PlanLoader.load(path: file, overrides: overrides)
        guard let plan = result.plan else {
            FileHandle.standardError.write(Data((result.rendered() + "\n").utf8))
            throw ExitStatus.invalid
        }
        if !result.diagnostics.isEmpty {
            FileHandle.standardError.write(Data((result.rendered() + "\n").utf8))
        }
        let resolver = try Resolver.forPlan(plan, readSecrets: false)
        let renderer = DryRunRenderer(plan: plan, resolver: resolver, describe: DriverRegistry.describeArgv)
        print(renderer.render())
    }
}
