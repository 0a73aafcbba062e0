import FiredrillCore
import Foundation

/// `command`, as a step and as a probe: runs argv (never a shell string) through the one `CommandRunner`, in its
/// own process group that is killed on timeout or abort.
public struct CommandDriver: StepDriver, ProbeDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "command", role: [.probe, .step], "Runs a program (argv, never a shell string) in its own process group.",
        timeout: "60s",
        params: [
            ParamSpec("run", .argv, required: true, "program and arguments, as a list"),
            ParamSpec("env", .stringMap, "extra environment variables"),
            ParamSpec("cwd", .string, "working directory"),
            ParamSpec("ok-exit-codes", .stringList, default: "[0]", "exit codes that count as success for a step"),
        ],
        fields: [
            ProbeField("exit-code", .number, "the exit code (null when a signal ended it)"),
            ProbeField("signal", .string, "the signal that ended it, if one did"),
            ProbeField("stdout", .string, "standard output, as printed"),
            ProbeField("stderr", .string, "standard error, as printed"),
            ProbeField("duration", .duration, "how long it ran"),
            ProbeField("pid", .number, "its process id"),
        ],
        shorthand: "run"
    )

    /// The one argv it runs, exactly as given (never through a shell).
    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        p.list("run").map { [$0] }
    }

    let runner = CommandRunner()

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        // The child's process group is journaled as an owed cleanup the moment it exists, and closed once the
        // command has ended (however it ended), so a runner killed meanwhile leaves it to `firedrill recover`.
        let token = TokenBox()
        let result: CommandResult
        do {
            result = try await execute(p, context: context) { pid, commandLine in
                let action = ProcessGroupEndUndo.action(forGroup: pid, step: context.name, commandLine: commandLine)
                await token.set(try await context.willApply(action))
            }
        } catch {
            if let t = await token.value { try? await context.didUndo(t, "the command ended with its step") }
            throw error
        }
        if let t = await token.value { try await context.didUndo(t, "the command ended") }
        let okCodes = (p.list("ok-exit-codes") ?? ["0"]).compactMap { Int32($0) }
        let output = Self.output(result)
        guard !result.timedOut, result.signal == nil, let code = result.exitCode, okCodes.contains(code) else {
            throw DriverError(Self.spec.key, CommandError.failed(result).description)
        }
        return StepOutcome(output: output, summary: "\(result.commandLine) exited \(code) in \(DurationSyntax.format(result.duration))"
                           + Self.excerpt(result.stdout))
    }

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = Self.params(params)
        let result = try await execute(p, context: context)
        if result.timedOut { throw DriverError(Self.spec.key, "\(result.commandLine) timed out after \(DurationSyntax.format(result.timeout))") }
        let code = result.exitCode.map(String.init) ?? "signal \(Signals.name(of: result.signal ?? 0))"
        return Observation(value: Self.output(result), summary: "exit \(code)" + Self.excerpt(result.stdout), ok: result.succeeded)
    }

    func execute(_ p: DriverParams, context: DriverContext,
                 onSpawn: (@Sendable (pid_t, String) async throws -> Void)? = nil) async throws -> CommandResult {
        guard let argv = p.list("run"), !argv.isEmpty else {
            throw DriverError(Self.spec.key, "`run` must be a list of arguments")
        }
        var env: [String: String] = [:]
        for (k, v) in p.map("env") { env[k] = v }
        var request = CommandRequest(argv: argv, environment: env, workingDirectory: p.optionalString("cwd"),
                                     timeout: context.timeout, secrets: context.secrets)
        if let onSpawn {
            let shown = CommandLineDisplay.render(SecretMasker(context.secrets).mask(argv))
            request.onSpawn = { pid in try await onSpawn(pid, shown) }
        }
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

/// The undo token of a command's process group, set from inside the spawn callback.
actor TokenBox {
    var value: UndoToken?
    func set(_ token: UndoToken) { value = token }
}
