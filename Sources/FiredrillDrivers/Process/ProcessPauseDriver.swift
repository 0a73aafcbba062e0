import FiredrillCore

/// `process.pause`: SIGSTOP, hold for `for`, SIGCONT. The resume is journaled before the stop, so if the runner
/// dies while the processes are stopped, `firedrill recover` resumes them. An abort resumes them at once.
public struct ProcessPauseDriver: StepDriver {
    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: "process.pause", node: params)
        guard let hold = try p.duration("for") else { throw DriverError("process.pause", "`for` is required") }
        let targets = try await ProcessTargets(key: "process.pause", params: p).resolve(context: context)
        if targets.isEmpty { return StepOutcome(output: ["targets": []], summary: "no process matched; skipped") }
        let pids = targets.map(\.pid)
        let undo = UndoAction(
            key: "process.resume",
            params: ["targets": .array(targets.map { ["pid": .number(Double($0.pid)), "start": .number($0.startSecondsSinceBoot)] })],
            description: "SIGCONT to pid \(pids.map(String.init).joined(separator: ", "))"
        )
        let token = try await context.willApply(undo)
        let controller = ProcessController()
        for pid in pids { try? controller.pause(pid) }
        context.progress("paused pid \(pids.map(String.init).joined(separator: ", ")) for \(DurationSyntax.format(hold))")
        do {
            try await Task.sleep(for: hold)
        } catch {
            for pid in pids { try? controller.resume(pid) }
            try? await context.didUndo(token, "resumed early: the step was cancelled")
            throw error
        }
        for pid in pids { try? controller.resume(pid) }
        try await context.didUndo(token, "resumed after \(DurationSyntax.format(hold))")
        return StepOutcome(output: ["targets": ProcessTargets.json(targets, context), "seconds": .number(hold.seconds)],
                           summary: "paused pid \(pids.map(String.init).joined(separator: ", ")) for \(DurationSyntax.format(hold))")
    }
}

/// Undo of `process.pause`: SIGCONT to each recorded process that is still the same process (same start time).
public struct ProcessResumeUndo: UndoDriver {
    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard case .array(let targets)? = params["targets"] else { throw DriverError("process.resume", "no targets recorded") }
        var resumed: [String] = []
        var gone: [String] = []
        for t in targets {
            guard let pid = t["pid"]?.doubleValue.map({ Int32($0) }) else { continue }
            let start = t["start"]?.doubleValue
            if let snapshot = ProcessSnapshot.read(pid: pid), start == nil || abs(snapshot.startSecondsSinceBoot - start!) < 0.05 {
                try ProcessController().resume(pid)
                resumed.append(String(pid))
            } else {
                gone.append(String(pid))
            }
        }
        var how = resumed.isEmpty ? "" : "SIGCONT to pid \(resumed.joined(separator: ", "))"
        if !gone.isEmpty { how += (how.isEmpty ? "" : "; ") + "pid \(gone.joined(separator: ", ")) no longer running" }
        return how
    }
}
