import FiredrillCore

/// `process.pause`: SIGSTOP, hold for `for`, SIGCONT. The resume is journaled before the stop, so if the runner
/// dies while the processes are stopped, `firedrill recover` resumes them. An abort resumes them at once.
public struct ProcessPauseDriver: StepDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "process.pause", role: .step, "Stops local processes with SIGSTOP and resumes them with SIGCONT after `for`.",
        timeout: "none",
        params: ProcessParams.target + [ProcessParams.tree,
            ParamSpec("for", .duration, required: true, "how long the processes stay paused"),
        ] + DriverCatalog.selection(),
        rules: ProcessParams.rules,
        undo: "SIGCONT to every paused process"
    )

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        guard let hold = try p.duration("for") else { throw DriverError(Self.spec.key, "`for` is required") }
        let targets = try await ProcessTargets(key: Self.spec.key, params: p, readsTree: true).resolve(context: context)
        if targets.isEmpty { return StepOutcome(output: ["targets": []], summary: "no process matched; skipped") }
        let pids = targets.map(\.pid)
        let undo = UndoAction(
            key: ProcessResumeUndo.key,
            params: ["targets": .array(targets.map { ["pid": .number(Double($0.pid)), "start": .number($0.startSecondsSinceBoot)] })],
            description: "SIGCONT to pid \(pids.map(String.init).joined(separator: ", "))"
        )
        let token = try await context.willApply(undo)
        let controller = ProcessController()
        // Parents are stopped before their children; resumed children first, so no parent sees a stopped child.
        for t in targets where ProcessTree.isSame(t) { try? controller.pause(t.pid) }
        context.progress("paused pid \(pids.map(String.init).joined(separator: ", ")) for \(DurationSyntax.format(hold))")
        do {
            try await Task.sleep(for: hold)
        } catch {
            for t in targets.reversed() where ProcessTree.isSame(t) { try? controller.resume(t.pid) }
            try? await context.didUndo(token, "resumed early: the step was cancelled")
            throw error
        }
        for t in targets.reversed() where ProcessTree.isSame(t) { try? controller.resume(t.pid) }
        try await context.didUndo(token, "resumed after \(DurationSyntax.format(hold))")
        return StepOutcome(output: ["targets": ProcessTargets.json(targets, context), "seconds": .number(hold.seconds)],
                           summary: "paused pid \(pids.map(String.init).joined(separator: ", ")) for \(DurationSyntax.format(hold))")
    }
}
