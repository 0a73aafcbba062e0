import ArgumentParser
import Foundation
import FiredrillCore

/// `firedrill check PLAN` — does the steady-state hypothesis hold right now? Nothing is injected.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run only the steady-state probes now and print each result; nothing is injected."
    )

    @Argument(help: "The plan file.")
    var file: String

    @Option(name: .customLong("var"), help: "Override a var: --var name=value (repeatable).")
    var vars: [String] = []

    @Flag(help: "Print results as JSON.")
    var json = false

    func run() async throws {
        let loaded = PlanLoader.load(path: file, overrides: try VarOption.parse(vars))
        guard let plan = loaded.plan else {
            FileHandle.standardError.write(Data((loaded.rendered() + "\n").utf8))
            throw ExitStatus.invalid
        }
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
            print(JSONOutput.pretty(JSONValue.object(["holds": .bool(results.allSatisfy(\.passed)), "probes": .array(results.map(\.json))])))
        } else if plan.steadyState.isEmpty {
            print("the plan has no steady-state probes")
        } else {
            print(results.allSatisfy(\.passed) ? "steady state holds" : "steady state does NOT hold")
        }
        if !results.allSatisfy(\.passed) { throw ExitStatus.deviated }
    }
}
