import FiredrillCore

/// `process.restart`: stops the picked processes (signal, then SIGKILL after `grace`) and starts the same
/// command line again, detached.
public struct ProcessRestartDriver: StepDriver {
    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: "process.restart", node: params)
        let grace = try p.duration("grace") ?? .seconds(10)
        let targets = try await ProcessTargets(key: "process.restart", params: p).resolve(context: context)
        if targets.isEmpty { return StepOutcome(output: ["targets": []], summary: "no process matched; skipped") }
        var started: [JSONValue] = []
        var lines: [String] = []
        for t in targets {
            let launched: LaunchedProcess
            do {
                launched = try await ProcessController().restart(t.pid, stopTimeout: grace)
            } catch {
                throw DriverError("process.restart", "pid \(t.pid): \(error)")
            }
            started.append(["old-pid": .number(Double(t.pid)), "pid": .number(Double(launched.pid))])
            lines.append("\(t.pid) → \(launched.pid)")
        }
        return StepOutcome(output: ["restarted": .array(started)], summary: "restarted pid " + lines.joined(separator: ", "))
    }
}
