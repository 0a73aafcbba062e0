import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillDrivers

/// `firedrill plan FILE` — the dry run: phases, resolved parameters and exact argv, changing nothing.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Dry-run a plan: print its phases, resolved parameters and the argv each step would run."
    )

    @OptionGroup var planArguments: PlanArguments

    @Flag(help: "Do not list targets with read-only calls (kubectl get, aws describe).")
    var offline = false

    func run() async throws {
        let (plan, _) = try planArguments.load()
        let resolver = try Resolver.forPlan(plan, readSecrets: false)
        var previews: [String: Result<[String], DryRunRenderer.PreviewError>] = [:]
        if !offline {
            for (_, steps) in plan.stepSections {
                for step in Self.flatten(steps) {
                    guard case .driver(let call) = step.action else { continue }
                    do {
                        if let targets = try await BuiltinDrivers.previewTargets(call.key, resolver.display(call.params)) {
                            previews[step.name] = .success(targets)
                        }
                    } catch {
                        previews[step.name] = .failure(.init(String(describing: error).split(separator: "\n").first.map(String.init) ?? "failed"))
                    }
                }
            }
        }
        let renderer = DryRunRenderer(plan: plan, resolver: resolver, previews: previews, describe: DriverRegistry.describeArgv)
        print(renderer.render())
    }

    static func flatten(_ steps: [Step]) -> [Step] {
        steps.flatMap { step -> [Step] in
            if case .parallel(let children) = step.action { return flatten(children) }
            return [step]
        }
    }
}
