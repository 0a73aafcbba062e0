import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillDrivers

/// The plan file and `--var` overrides shared by `plan`, `check` and `run`, and the one way they load a plan:
/// diagnostics on stderr, exit 4 when it is invalid.
struct PlanArguments: ParsableArguments {
    @Argument(help: "The plan file.")
    var file: String

    @Option(name: .customLong("var"), help: "Override a var: --var name=value (repeatable).")
    var vars: [String] = []

    func load() throws -> (plan: Plan, overrides: [String: String]) {
        let overrides = try VarOption.parse(vars)
        let result = PlanLoader.load(path: file, catalog: BuiltinDrivers.catalog, overrides: overrides)
        if !result.diagnostics.isEmpty {
            StandardStreams.err(result.rendered() + "\n")
        }
        guard let plan = result.plan else { throw ExitStatus.invalid }
        return (plan, overrides)
    }
}
