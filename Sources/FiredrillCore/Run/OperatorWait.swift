import Foundation

/// Runs a `manual` step: journals that the drill waits for a person, then waits for a yes or no — typed on the
/// runner's terminal or left by `firedrill confirm` in the run directory — showing live progress. The answer, who
/// gave it and when are journaled; a rejection or the timeout fails the step (and so the run's rollbacks run).
struct OperatorWait: Sendable {
    let spec: ManualSpec
    let step: String
    /// The prompt with its vars substituted, secrets masked.
    let prompt: String
    let runDirectory: String?
    let terminal: (any OperatorTerminal)?
    let recorder: RunRecorder

    /// How often the answer directory and the terminal are checked.
    static let pollInterval: Duration = .milliseconds(200)
    /// How often the prompt is shown again while nobody answers (a console prints every progress line).
    static let progressEvery: Duration = .seconds(10)

    func run() async throws -> StepOutcome {
        guard runDirectory != nil || terminal != nil else {
            throw DriverError("manual", "nobody can answer: this run has neither a terminal nor a run directory for `firedrill confirm`")
        }
        let answerWith = runDirectory.map { "firedrill confirm \($0) \(step) --operator NAME [--reject] [--comment TEXT]" }
        if let runDirectory {
            try? FileManager.default.createDirectory(atPath: OperatorAnswer.directory(in: runDirectory), withIntermediateDirectories: true)
        }
        try await recorder.record(.manualWaiting, step: step, [
            "prompt": .string(prompt), "who": spec.who.map { .string($0) } ?? .null,
            "timeout-seconds": .number(spec.timeout.seconds), "answer-with": answerWith.map { .string($0) } ?? .null,
            "terminal": .bool(terminal != nil),
        ])
        terminal?.ask(step: step, prompt: prompt, who: spec.who, timeout: spec.timeout)
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + spec.timeout
        var lastProgress: ContinuousClock.Instant?
        while true {
            try Task.checkCancellation()
            if let answer = nextAnswer() {
                let waited = clock.now - start
                try await recorder.record(.manualAnswered, step: step, [
                    "answer": .string(answer.word), "operator": .string(answer.operator),
                    "comment": answer.comment.map { .string($0) } ?? .null, "answered-at": .string(answer.at),
                    "via": .string(answer.via), "waited-seconds": .number(waited.seconds),
                ])
                let by = "\(answer.word) by \(answer.operator)" + (answer.comment.map { ": \($0)" } ?? "")
                recorder.progress(step: step, by)
                guard answer.approved else { throw DriverError("manual", "rejected by \(answer.operator)" + (answer.comment.map { ": \($0)" } ?? "")) }
                return StepOutcome(output: [
                    "answer": .string(answer.word), "operator": .string(answer.operator),
                    "comment": answer.comment.map { .string($0) } ?? .null, "answered-at": .string(answer.at), "via": .string(answer.via),
                ], summary: by)
            }
            let now = clock.now
            if now >= deadline {
                try await recorder.record(.manualTimedOut, step: step, [
                    "timeout-seconds": .number(spec.timeout.seconds), "who": spec.who.map { .string($0) } ?? .null,
                ])
                throw DriverError("manual", "nobody answered within \(DurationSyntax.format(spec.timeout))"
                                  + (spec.who.map { " (waiting for \($0))" } ?? ""))
            }
            if lastProgress.map({ now - $0 >= Self.progressEvery }) ?? true {
                lastProgress = now
                let left = DurationSyntax.format(.seconds(Int64((deadline - now).seconds.rounded(.up))))
                var line = "waiting for \(spec.who ?? "an operator"): \"\(prompt)\" — \(left) left"
                if let answerWith { line += "; answer: \(answerWith)" }
                recorder.progress(step: step, line)
            }
            try await Task.sleep(for: min(Self.pollInterval, deadline - now))
        }
    }

    /// The first answer available: one typed on the terminal, else the oldest one left by `firedrill confirm`.
    private func nextAnswer() -> OperatorAnswer? {
        if let terminal, let typed = terminal.poll() {
            return OperatorAnswer(step: step, approved: typed.approved, operator: terminal.operatorName, comment: typed.comment, via: "terminal")
        }
        guard let runDirectory else { return nil }
        return OperatorAnswer.read(for: step, in: runDirectory).first?.answer
    }
}
