import FiredrillCore

/// `process.kill`: sends a signal to the picked local processes.
public struct ProcessKillDriver: StepDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "process.kill", role: .step, "Sends a signal to local processes.",
        timeout: "30s",
        params: ProcessParams.target + [
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
        let targets = try await ProcessTargets(key: Self.spec.key, params: p).resolve(context: context)
        if targets.isEmpty { return StepOutcome(output: ["targets": []], summary: "no process matched; skipped") }
        var sent: [Int32] = []
        for t in targets {
            do {
                try ProcessController().send(signal, to: t.pid)
                sent.append(t.pid)
            } catch {
                throw DriverError(Self.spec.key, "\(error) (already signalled: \(sent.map(String.init).joined(separator: ", ")))")
            }
        }
        return StepOutcome(output: ["targets": ProcessTargets.json(targets, context), "signal": .string(Signals.name(of: signal))],
                           summary: "\(Signals.name(of: signal)) to pid \(sent.map(String.init).joined(separator: ", "))")
    }
}
