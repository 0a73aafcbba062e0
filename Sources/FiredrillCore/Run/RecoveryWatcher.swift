import Foundation

/// Times the outage of a drill with the `recovered` probe, from the instant the disaster was injected:
/// *detected* is the first failed execution, *first healthy* the first pass after that, and *stable* the first of
/// `consecutive` passes in a row. It finishes at stable — once the outage was detected, or, if no execution ever
/// failed, once the recovery runbook has finished. It only timestamps: reaching stable never cancels the runbook,
/// which runs to its end in its own task (`PlanRunner.disasterAndRecovery`).
public struct RecoveryWatcher: Sendable {
    /// The instants, as monotonic offsets of the journal (`mono`), with their journal events.
    public struct Instants: Sendable {
        public var detected: Double?
        public var firstHealthy: Double?
        public var stable: Double?
    }

    let probes: ProbeRunner
    let recorder: RunRecorder
    let runbookDone: Flag

    /// A one-way flag shared between the runbook and the watcher.
    public actor Flag {
        public private(set) var isSet = false
        public init() {}
        public func set() { isSet = true }
    }

    /// Watches until stable (or the task is cancelled); the probe is released either way.
    public func watch(_ spec: ProbeSpec) async throws -> Instants {
        do {
            let instants = try await loop(spec)
            await probes.release(spec, role: "recovered")
            return instants
        } catch {
            await probes.release(spec, role: "recovered")
            throw error
        }
    }

    private func loop(_ spec: ProbeSpec) async throws -> Instants {
        let clock = ContinuousClock()
        var instants = Instants()
        var streak = 0
        var streakStart: Double?
        var next = clock.now
        while true {
            try Task.checkCancellation()
            let result = await probes.once(spec, role: "recovered")
            let event = try await recorder.record(.probeResult, step: spec.name, result.json(role: "recovered"))
            if result.passed {
                streak += 1
                if streak == 1 { streakStart = event.mono }
                if instants.detected != nil, instants.firstHealthy == nil {
                    instants.firstHealthy = event.mono
                    try await recorder.record(.drillFirstHealthy, step: spec.name, ["mono": .number(event.mono)])
                }
            } else {
                streak = 0
                streakStart = nil
                if instants.detected == nil {
                    instants.detected = event.mono
                    try await recorder.record(.drillDetected, step: spec.name, ["mono": .number(event.mono), "message": .string(result.message)])
                }
            }
            let runbookFinished = await runbookDone.isSet
            if streak >= spec.consecutive, instants.detected != nil || runbookFinished {
                instants.stable = streakStart
                if instants.firstHealthy == nil { instants.firstHealthy = streakStart }
                try await recorder.record(.drillStable, step: spec.name, [
                    "mono": .number(streakStart ?? event.mono), "consecutive": .number(Double(spec.consecutive)),
                    "outage-detected": .bool(instants.detected != nil),
                ])
                return instants
            }
            next = next.advanced(by: spec.every)
            if next < clock.now { next = clock.now }
            try await Task.sleep(until: next, clock: clock)
        }
    }
}
