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
    let checked: Checkpoint

    /// A one-way flag shared between the runbook and the watcher.
    public actor Flag {
        public private(set) var isSet = false
        public init() {}
        public func set() { isSet = true }
    }

    /// Between the disaster and the recovery runbook: the runbook starts once `recovered` has been checked after the
    /// disaster steps ended, so an outage the runbook repairs quickly (a promotion in half a second) is observed,
    /// not missed between two checks. The watcher checks at once when the disaster ends instead of waiting for its
    /// next `every`; the gate opens for good when the watcher stops.
    public actor Checkpoint {
        private var disasterEnded: ContinuousClock.Instant?
        private var checkStartedAfter = false
        public private(set) var isOpen = false
        public init() {}

        /// The disaster steps have ended.
        public func endDisaster() { disasterEnded = ContinuousClock.now }
        /// A check is starting: whether the watcher should check now rather than at its next `every`.
        var wantsCheck: Bool { disasterEnded != nil && !checkStartedAfter && !isOpen }
        /// A check that started at `start` has ended.
        func checked(startedAt start: ContinuousClock.Instant) {
            if let ended = disasterEnded, start >= ended { isOpen = true }
        }
        func starting(at start: ContinuousClock.Instant) {
            if let ended = disasterEnded, start >= ended { checkStartedAfter = true }
        }
        /// The watcher stopped: nothing more to wait for.
        func open() { isOpen = true }
    }

    /// How often a sleeping watcher looks whether the disaster has ended.
    static let slice: Duration = .milliseconds(5)

    /// Watches until stable (or the task is cancelled); the probe is released and the checkpoint opened either way.
    public func watch(_ spec: ProbeSpec) async throws -> Instants {
        do {
            let instants = try await loop(spec)
            await checked.open()
            await probes.release(spec, role: "recovered")
            return instants
        } catch {
            await checked.open()
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
            let started = clock.now
            await checked.starting(at: started)
            let result = await probes.once(spec, role: "recovered")
            await checked.checked(startedAt: started)
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
            // Sleep until the next check, in short slices: the end of the disaster calls for a check at once.
            while clock.now < next, await !checked.wantsCheck {
                try await Task.sleep(for: min(next - clock.now, Self.slice))
            }
        }
    }
}
