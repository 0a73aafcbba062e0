/// Runs a step with `repeat:` on its schedule: at once, then every `every` (± a random `jitter`) for as long as
/// the fault window lasts, each repetition journaled between `repeat.started` and `repeat.ended`. Each repetition
/// runs the step's driver afresh, so each journals its own undo intent before its own effect.
struct RepeatSchedule: Sendable {
    let spec: RepeatSpec
    let step: String
    let recorder: RunRecorder
    let restoring: Bool

    func run(_ once: @Sendable () async throws -> StepOutcome) async throws -> StepOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let windowEnd = start + spec.duration
        var index = 0
        var last = StepOutcome(summary: "")
        var summaries: [JSONValue] = []
        var offsets: [JSONValue] = []
        while true {
            try Task.checkCancellation()
            index += 1
            let runStart = clock.now
            offsets.append(.number((runStart - start).seconds))
            try await record(.repeatStarted, ["index": .number(Double(index)), "offset-seconds": .number((runStart - start).seconds)])
            do {
                last = try await once()
            } catch {
                let cancelled = error is CancellationError || Task.isCancelled
                await recorder.note(.repeatEnded, step: step, [
                    "index": .number(Double(index)), "status": .string(cancelled ? "cancelled" : "failed"),
                    "seconds": .number((clock.now - runStart).seconds), "error": .string(cancelled ? "cancelled" : String(describing: error)),
                ])
                throw error
            }
            try await record(.repeatEnded, [
                "index": .number(Double(index)), "status": "ok", "seconds": .number((clock.now - runStart).seconds),
                "summary": .string(last.summary),
            ])
            if summaries.count < 20 { summaries.append(.string(last.summary)) }
            var next = start + spec.every * index
            if spec.jitter > .zero {
                let j = Double.random(in: -spec.jitter.seconds...spec.jitter.seconds)
                next = next + .milliseconds(Int64(j * 1000))
            }
            // No repetition starts once the window has passed.
            guard next <= windowEnd else { break }
            while clock.now < next {
                let left = windowEnd - clock.now
                recorder.progress(step: step, "ran \(index)×; next in \(Self.format(next - clock.now)), window ends in \(Self.format(left))")
                try await Task.sleep(for: min(next - clock.now, .seconds(1)))
            }
        }
        let window = clock.now - start
        var output: [String: JSONValue] = [
            "repetitions": .number(Double(index)), "window-seconds": .number(window.seconds),
            "started-at-offsets": .array(offsets.suffix(1000)), "summaries": .array(summaries),
        ]
        if case .object(let fields) = last.output { for (k, v) in fields where output[k] == nil { output[k] = v } }
        return StepOutcome(output: .object(output),
                           summary: "ran \(index) time\(index == 1 ? "" : "s") every \(DurationSyntax.format(spec.every))"
                               + (spec.jitter > .zero ? " ± \(DurationSyntax.format(spec.jitter))" : "")
                               + " over \(Self.format(window)); last: \(last.summary)")
    }

    private func record(_ type: JournalEventType, _ data: JSONValue) async throws {
        if restoring { await recorder.note(type, step: step, data) } else { try await recorder.record(type, step: step, data) }
    }

    static func format(_ d: Duration) -> String {
        DurationSyntax.format(.seconds(Int64(max(d.seconds, 0).rounded())))
    }
}
