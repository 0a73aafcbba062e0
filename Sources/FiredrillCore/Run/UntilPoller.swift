/// Runs an `until` step: executes its probe every `every` until it passes `consecutive` times in a row, and fails the
/// step when `timeout` passes first. Live progress shows every attempt; the journal keeps a bounded record of them
/// (the first, every `journalEvery`th, and the last) and one `until.ended` event.
struct UntilPoller: Sendable {
    let spec: UntilSpec
    let step: String
    let probes: ProbeRunner
    let recorder: RunRecorder

    /// Of the attempts between the first and the last, one in this many is journaled.
    static let journalEvery = 10
    /// An attempt whose result is the same as the last one shown is shown only if this long has passed since.
    static let progressEvery: Duration = .seconds(10)

    func run() async throws -> StepOutcome {
        do {
            let outcome = try await loop()
            await probes.release(spec.probe, role: "until")
            return outcome
        } catch {
            await probes.release(spec.probe, role: "until")
            throw error
        }
    }

    private func loop() async throws -> StepOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + spec.timeout
        let needed = max(spec.probe.consecutive, 1)
        var attempt = 0
        var streak = 0
        var journaled = 0
        var shown: (at: ContinuousClock.Instant, passed: Bool, message: String)?
        while true {
            try Task.checkCancellation()
            attempt += 1
            var probe = spec.probe
            // No single execution may run past the step's deadline.
            let remaining = max(deadline - clock.now, .milliseconds(100))
            probe.timeout = min(probe.timeout ?? ProbeRunner.defaultTimeout(probe.call), remaining)
            var result = await probes.once(probe, role: "until")
            try Task.checkCancellation()
            result.attempts = attempt
            streak = result.passed ? streak + 1 : 0
            let passed = streak >= needed
            let next = start + spec.every * attempt
            let timedOut = !passed && next > deadline
            if attempt == 1 || attempt % Self.journalEvery == 0 || passed || timedOut {
                var data = result.json(role: "until")
                if case .object(var fields) = data {
                    fields["attempt"] = .number(Double(attempt))
                    data = .object(fields)
                }
                try await recorder.record(.probeResult, step: step, data)
                journaled += 1
            }
            let elapsed = clock.now - start
            let left = deadline - clock.now
            let streakText = needed > 1 ? ", \(streak)/\(needed) passes in a row" : ""
            // Every change is shown; a repeat of the same result every `progressEvery`, so a console is never flooded.
            if passed || timedOut || shown.map({ $0.passed != result.passed || $0.message != result.message || clock.now - $0.at >= Self.progressEvery }) ?? true {
                shown = (clock.now, result.passed, result.message)
                recorder.progress(step: step, "attempt \(attempt): \(result.passed ? "passed" : "not yet") — \(result.message)\(streakText); "
                    + (passed ? "done after \(Self.format(elapsed))" : "\(Self.format(max(left, .zero))) left"))
            }
            if passed || timedOut {
                let ended: JSONValue = [
                    "passed": .bool(passed), "attempts": .number(Double(attempt)), "journaled-attempts": .number(Double(journaled)),
                    "seconds": .number(elapsed.seconds), "message": .string(result.message),
                    "observed": result.observed ?? .null, "expected": result.expected.map { .string($0) } ?? .null,
                    "timeout-seconds": .number(spec.timeout.seconds),
                ]
                try await recorder.record(.untilEnded, step: step, ended)
                if timedOut {
                    throw DriverError("until", "`\(spec.probe.name)` did not pass within \(DurationSyntax.format(spec.timeout)) "
                        + "(\(attempt) attempt\(attempt == 1 ? "" : "s"); last: \(result.message))")
                }
                return StepOutcome(output: [
                    "attempts": .number(Double(attempt)), "seconds": .number(elapsed.seconds), "observed": result.observed ?? .null,
                ], summary: "passed after \(attempt) attempt\(attempt == 1 ? "" : "s") in \(Self.format(elapsed))")
            }
            if next > clock.now { try await Task.sleep(until: next, clock: clock) }
        }
    }

    static func format(_ d: Duration) -> String {
        DurationSyntax.format(.seconds(Int64(d.seconds.rounded())))
    }
}
