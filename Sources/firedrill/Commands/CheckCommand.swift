import ArgumentParser
import Foundation
import FiredrillCore

/// `firedrill check PLAN` — does the steady-state hypothesis hold right now? Nothing is injected.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run only the steady-state probes now and print each result; nothing is injected."
    )

    @OptionGroup var planArguments: PlanArguments

    @Flag(help: "Print results as JSON.")
    var json = false

    func run() async throws {
        let (plan, _) = try planArguments.load()
        let resolver: Resolver
        do { resolver = try Resolver.forPlan(plan, readSecrets: true) } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
        let runner = ProbeRunner(drivers: DriverRegistry(), resolver: resolver) { name, timeout in
            DriverContext(name: name, timeout: timeout, secrets: resolver.secretValues)
        }
        var results: [ProbeResult] = []
        for spec in plan.steadyState {
            let r = try await runner.run(spec)
            results.append(r)
            if !json {
                print("\(r.passed ? "ok  " : "FAIL") \(spec.name) (\(spec.call.key), \(FixedPoint.format(r.duration.seconds * 1000, 0))ms): \(r.message)")
            }
        }
        if json {
            print(JSONOutput.pretty(JSONValue.object(["holds": .bool(results.allSatisfy(\.passed)), "probes": .array(results.map { $0.json() })])))
        } else if plan.steadyState.isEmpty {
            print("the plan has no steady-state probes")
        } else {
            print(results.allSatisfy(\.passed) ? "steady state holds" : "steady state does NOT hold")
        }
        if !results.allSatisfy(\.passed) { throw ExitStatus.deviated }
    }
}
