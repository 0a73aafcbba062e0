import FiredrillCore
import Foundation

/// Builds and runs `railway` command lines for `railway.restart`, `railway.redeploy` and `railway.down`.
///
/// `railway VERB --service=S [--environment=E] [--project=P] --yes [--json]`. The project is the `project`
/// parameter; without it, `RAILWAY_PROJECT_ID` from the environment; without that, whatever the CLI itself
/// uses (the linked directory, or the project a `RAILWAY_TOKEN` project token belongs to).
struct RailwayCLI: Sendable {
    let key: String
    /// Variables set on top of the runner's environment (tests point `PATH` at a stand-in railway).
    let environment: [String: String]

    /// A variable from the override environment (where an empty value means unset), else from the process
    /// environment.
    static func variable(_ name: String, environment: [String: String]) -> String? {
        if let value = environment[name] { return value.isEmpty ? nil : value }
        if let value = ProcessInfo.processInfo.environment[name], !value.isEmpty { return value }
        return nil
    }

    /// The argv of `verb`; `json` adds `--json` (the CLI has it for `restart` and `redeploy`, not `down`).
    static func argv(_ verb: String, _ p: DriverParams, json: Bool, environment: [String: String]) throws -> [String] {
        var args = ["railway", verb, "--service=\(try p.string("service"))"]
        if let env = p.optionalString("environment") { args.append("--environment=\(env)") }
        if let project = p.optionalString("project") ?? variable("RAILWAY_PROJECT_ID", environment: environment) {
            args.append("--project=\(project)")
        }
        args.append("--yes")
        if json { args.append("--json") }
        return args
    }

    /// Runs `verb` for the service; throws unless it exits 0.
    func run(_ verb: String, _ p: DriverParams, json: Bool, context: DriverContext) async throws -> CommandResult {
        try await CloudCommand.run(try Self.argv(verb, p, json: json, environment: environment), key: key,
                                   environment: environment, timeout: context.timeout, secrets: context.secrets)
    }

    /// A step outcome from the CLI's output: its JSON when it printed JSON, else its last line.
    static func outcome(_ result: CommandResult, service: String, did: String) -> StepOutcome {
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let parsed = (try? JSONValue.parse(text)) ?? .string(text)
        return StepOutcome(output: ["service": .string(service), "result": parsed],
                           summary: "\(did) \(service)" + CommandDriver.excerpt(result.stdout))
    }
}
