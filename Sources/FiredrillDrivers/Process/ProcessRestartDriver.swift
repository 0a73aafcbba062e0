import FiredrillCore

/// `process.restart`: stops the picked processes (`signal`, SIGTERM unless told, then SIGKILL after `grace`) and
/// starts the same command line again, detached.
public struct ProcessRestartDriver: StepDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "process.restart", role: .step, "Stops local processes and starts the same command line again.",
        timeout: "60s",
        params: ProcessParams.single + [
            ParamSpec("signal", .signal, default: "TERM", "the signal that stops the process"),
            ParamSpec("grace", .duration, default: "10s", "how long to wait for it to exit before SIGKILL"),
        ] + DriverCatalog.selection(),
        rules: ProcessParams.singleRules
    )

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let signalText = p.text("signal") ?? "TERM"
        let signal: Int32
        do { signal = try Signals.parse(signalText) } catch { throw DriverError(Self.spec.key, error.description) }
        let grace = try p.duration("grace") ?? .seconds(10)
        let targets = try await ProcessTargets(key: Self.spec.key, params: p).resolve(context: context)
        if targets.isEmpty { return StepOutcome(output: ["targets": []], summary: "no process matched; skipped") }
        var started: [JSONValue] = []
        var lines: [String] = []
        for t in targets {
            let launched: LaunchedProcess
            do {
                launched = try await ProcessController().restart(t.pid, signal: signal, stopTimeout: grace)
            } catch {
                throw DriverError(Self.spec.key, "pid \(t.pid): \(error)")
            }
            started.append(["old-pid": .number(Double(t.pid)), "pid": .number(Double(launched.pid))])
            lines.append("\(t.pid) → \(launched.pid)")
        }
        return StepOutcome(output: ["restarted": .array(started)], summary: "restarted pid " + lines.joined(separator: ", "))
    }
}
