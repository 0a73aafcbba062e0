import FiredrillCore
import Foundation

/// `command`, as a step and as a probe: runs argv (never a shell string) through the one `CommandRunner`, in its
/// own process group that is killed on timeout or abort.
public struct CommandDriver: StepDriver, ProbeDriver {
    let runner = CommandRunner()

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: "command", node: params)
        let result = try await execute(p, context: context)
        let okCodes = (p.list("ok-exit-codes") ?? ["0"]).compactMap { Int32($0) }
        let output = Self.output(result)
        guard !result.timedOut, result.signal == nil, let code = result.exitCode, okCodes.contains(code) else {
            throw DriverError("command", CommandError.failed(result).description)
        }
        return StepOutcome(output: output, summary: "\(result.commandLine) exited \(code) in \(DurationSyntax.format(result.duration))"
                           + Self.excerpt(result.stdout))
    }

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = DriverParams(key: "command", node: params)
        let result = try await execute(p, context: context)
        if result.timedOut { throw DriverError("command", "\(result.commandLine) timed out after \(DurationSyntax.format(result.timeout))") }
        let code = result.exitCode.map(String.init) ?? "signal \(Signals.name(of: result.signal ?? 0))"
        return Observation(value: Self.output(result), summary: "exit \(code)" + Self.excerpt(result.stdout), ok: result.succeeded)
    }

    func execute(_ p: DriverParams, context: DriverContext) async throws -> CommandResult {
        guard let argv = p.list("run"), !argv.isEmpty else {
            throw DriverError("command", "`run` must be a list of arguments")
        }
        var env: [String: String] = [:]
        for (k, v) in p.map("env") { env[k] = v }
        let request = CommandRequest(argv: argv, environment: env, workingDirectory: p.optionalString("cwd"),
                                     timeout: context.timeout, secrets: context.secrets)
        return try await runner.run(request)
    }

    static func output(_ r: CommandResult) -> JSONValue {
        [
            "exit-code": r.exitCode.map { .number(Double($0)) } ?? .null,
            "signal": r.signal.map { .string(Signals.name(of: $0)) } ?? .null,
            "stdout": .string(r.stdout), "stderr": .string(r.stderr),
            "duration": .number(r.duration.seconds), "pid": .number(Double(r.pid)),
        ]
    }

    static func excerpt(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return "" }
        let line = trimmed.split(separator: "\n").last.map(String.init) ?? trimmed
        return ": " + String(line.prefix(200))
    }
}
