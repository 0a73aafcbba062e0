import FiredrillCore

/// `process.kill`: sends a signal to the picked local processes.
public struct ProcessKillDriver: StepDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "process.kill", role: .step, "Sends a signal to local processes.",
        timeout: "30s",
        params: ProcessParams.target + [ProcessParams.tree,
            ParamSpec("signal", .signal, default: "KILL", "the signal to send"),
        ] + DriverCatalog.selection(),
        rules: ProcessParams.rules
    )

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let signalText = p.text("signal") ?? "KILL"
        let signal: Int32
        do { signal = try Signals.parse(signalText) } catch { throw DriverError(Self.spec.key, error.description) }
        let targets = try await ProcessTargets(key: Self.spec.key, params: p, readsTree: true).resolve(context: context)
        if targets.isEmpty { return StepOutcome(output: ["targets": []], summary: "no process matched; skipped") }
        var sent: [Int32] = []
        var gone: [Int32] = []
        for t in targets {
            // A pid is signalled only while it is still the process that was resolved (same start time).
            guard ProcessTree.isSame(t) else { gone.append(t.pid); continue }
            do {
                try ProcessController().send(signal, to: t.pid)
                sent.append(t.pid)
            } catch ProcessError.noSuchProcess {
                gone.append(t.pid)
            } catch {
                throw DriverError(Self.spec.key, "\(error) (already signalled: \(sent.map(String.init).joined(separator: ", ")))")
            }
        }
        let goneNote = gone.isEmpty ? "" : "; pid \(gone.map(String.init).joined(separator: ", ")) had already exited"
        return StepOutcome(output: ["targets": ProcessTargets.json(targets, context), "signal": .string(Signals.name(of: signal)),
                                    "signalled": .array(sent.map { .number(Double($0)) }), "gone": .array(gone.map { .number(Double($0)) })],
                           summary: "\(Signals.name(of: signal)) to pid \(sent.map(String.init).joined(separator: ", "))" + goneNote)
    }
}
