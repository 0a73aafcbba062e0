/// Watches an experiment's `effect` probes while the method runs. An effect probe sees the fault once `expect`
/// passes `consecutive` times in a row; it is then journaled as `effect.seen` and probed no more. It never aborts
/// or deviates the run: a probe that never sees the fault only makes an otherwise passing run inconclusive.
public actor EffectWatcher {
    public let probes: ProbeRunner
    public let recorder: RunRecorder
    /// The names of the probes that saw the fault.
    public private(set) var seen: Set<String> = []
    private var streaks: [String: Int] = [:]
    /// Each probe's latest result, quoted when it never saw the fault.
    private var latest: [String: ProbeResult] = [:]

    public init(probes: ProbeRunner, recorder: RunRecorder) {
        self.probes = probes
        self.recorder = recorder
    }

    /// Probes `spec` every `every` until it sees the fault or the task is cancelled (when the method ends).
    public func watch(_ spec: ProbeSpec) async {
        let clock = ContinuousClock()
        if spec.initialDelay > .zero {
            do { try await Task.sleep(for: spec.initialDelay) } catch { return }
        }
        var next = clock.now
        while !Task.isCancelled, !seen.contains(spec.name) {
            let result = await probes.once(spec, role: "effect")
            if Task.isCancelled { break }
            await judge(spec, result)
            next = next.advanced(by: spec.every)
            let now = clock.now
            if next < now { next = now }
            do { try await Task.sleep(until: next, clock: clock) } catch { break }
        }
        await probes.release(spec, role: "effect")
    }

    /// After the method ran to its end: every probe that has not seen the fault runs once more (a fault injected
    /// by the last step has had no interval to be seen in); then each still unseen is journaled as
    /// `effect.not-seen`. Returns the names of those, in plan order.
    public func finish(_ specs: [ProbeSpec]) async -> [String] {
        var unseen: [String] = []
        for spec in specs where !seen.contains(spec.name) {
            await judge(spec, await probes.once(spec, role: "effect"))
            await probes.release(spec, role: "effect")
            guard !seen.contains(spec.name) else { continue }
            unseen.append(spec.name)
            let last = latest[spec.name]
            await recorder.note(.effectNotSeen, step: spec.name, [
                "probe": .string(spec.name), "passes-needed": .number(Double(spec.consecutive)),
                "message": .string("never saw the fault: the fault may not have hit anything" + (last.map { "; last: \($0.message)" } ?? "")),
                "observed": last?.observed ?? .null, "expected": (last?.expected).map { .string($0) } ?? .null,
            ])
        }
        return unseen
    }

    private func judge(_ spec: ProbeSpec, _ result: ProbeResult) async {
        await recorder.note(.probeResult, step: spec.name, result.json(role: "effect"))
        latest[spec.name] = result
        guard !seen.contains(spec.name) else { return }
        let streak = result.passed ? streaks[spec.name, default: 0] + 1 : 0
        streaks[spec.name] = streak
        guard streak >= spec.consecutive else { return }
        seen.insert(spec.name)
        await recorder.note(.effectSeen, step: spec.name, [
            "probe": .string(spec.name), "observed": result.observed ?? .null, "message": .string(result.message),
            "expected": result.expected.map { .string($0) } ?? .null,
        ])
    }
}
