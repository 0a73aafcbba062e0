/// Watches one guard: probe, judge, wait `every`, for as long as the method runs. More than `tolerate`
/// consecutive failures throw `GuardBreach`, which cancels the method.
public struct GuardWatcher: Sendable {
    public let probes: ProbeRunner
    public let recorder: RunRecorder

    public init(probes: ProbeRunner, recorder: RunRecorder) {
        self.probes = probes
        self.recorder = recorder
    }

    /// Watches until the guard breaches (throws `GuardBreach`) or the task is cancelled; the probe is released
    /// either way.
    public func watch(_ spec: ProbeSpec) async throws {
        do {
            try await loop(spec)
        } catch {
            await probes.release(spec, role: "guard")
            throw error
        }
    }

    private func loop(_ spec: ProbeSpec) async throws {
        let clock = ContinuousClock()
        var failures = 0
        if spec.initialDelay > .zero { try await Task.sleep(for: spec.initialDelay) }
        var next = clock.now
        while true {
            try Task.checkCancellation()
            let result = await probes.once(spec, role: "guard")
            try Task.checkCancellation()
            try await recorder.record(.probeResult, step: spec.name, result.json(role: "guard"))
            if result.passed {
                failures = 0
            } else {
                failures += 1
                if failures > spec.tolerate {
                    throw GuardBreach(guardName: spec.name, message: result.message, observed: result.observed,
                                      expected: result.expected, failures: failures)
                }
            }
            next = next.advanced(by: spec.every)
            let now = clock.now
            if next < now { next = now }
            try await Task.sleep(until: next, clock: clock)
        }
    }
}
