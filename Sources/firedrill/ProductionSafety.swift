import Foundation
import FiredrillCore
import FiredrillDrivers

/// The `run` command's production gate: the configured `ProductionGate` applied to the plan, its environment
/// binding checked with read-only calls through the `CommandRunner`. A refusal exits before anything is created.
enum ProductionSafety {
    /// The plan with its environment resolved and the gate's decision attached, or a refusal (exit 4 for a
    /// protected environment or a bad config, 1 for a live context that does not match the binding).
    static func admit(_ plan: Plan, allowProduction: Bool, configFile: String? = nil) async throws -> Plan {
        let resolver: Resolver
        let gate: ProductionGate
        do {
            resolver = try Resolver.forPlan(plan, readSecrets: false)
            var environment = ProcessInfo.processInfo.environment
            if let configFile { environment[ProductionGate.configVariable] = configFile }
            gate = try ProductionGate.configured(planPath: plan.path, environment: environment)
        } catch {
            Console.error(error.description)
            throw ExitStatus.invalid
        }
        do {
            let decision = try await gate.admit(plan: plan, resolver: resolver, allowProduction: allowProduction,
                                                operatorName: RunSession.initiator(), reader: readContext)
            var admitted = plan
            admitted.environment = decision.environment
            admitted.gate = decision
            for check in decision.bindingChecks { FileHandle.standardError.write(Data("firedrill: \(check.summary)\n".utf8)) }
            return admitted
        } catch {
            Console.error("\(plan.path): \(error.message)")
            // Only a live context that does not match the binding carries a location (the binding's).
            throw error.location != nil ? ExitStatus.deviated : ExitStatus.invalid
        }
    }

    /// Runs one read-only context call.
    @Sendable static func readContext(_ argv: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let result = try await CommandRunner().run(CommandRequest(argv: argv, timeout: .seconds(30)))
        return (result.exitCode ?? -1, result.stdout, result.stderr)
    }
}
