import ArgumentParser
import FiredrillCore
import Foundation

/// `firedrill confirm RUN_DIR STEP` — answer a `manual` step of a running drill from any terminal.
struct ConfirmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "confirm",
        abstract: "Answer an operator (`manual`) step of a running drill: approve it, or --reject it.",
        discussion: """
        The runner polls the run directory and journals the answer with the operator's name, the comment and the
        time. A rejection fails the step, and the run's rollbacks run. Refused (exit 3) when the step is not waiting
        for an answer.
        """
    )

    @Argument(help: "The run directory of the running drill (reports/<time>-<plan>).")
    var runDirectory: String

    @Argument(help: "The name of the manual step waiting for an answer.")
    var step: String

    @Flag(help: "Say no: the step fails and the rollbacks run.")
    var reject = false

    @Option(help: "Who answers (recorded in the journal and the report).")
    var `operator`: String

    @Option(help: "Why, or what was checked (recorded in the journal and the report).")
    var comment: String?

    func validate() throws {
        if `operator`.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--operator must name who answers") }
        if `operator`.count > 200 { throw ValidationError("--operator is at most 200 characters") }
        if let comment, comment.utf8.count > 4096 { throw ValidationError("--comment is at most 4 KiB") }
    }

    func run() throws {
        let journal = URL(fileURLWithPath: runDirectory).appendingPathComponent("journal.jsonl")
        let contents: JournalContents
        do {
            contents = try JournalReader.read(at: journal)
        } catch {
            Console.error("\(runDirectory) is not a run directory: \(error)")
            throw ExitStatus.failed
        }
        let waiting = Self.waitingSteps(contents.events)
        guard waiting.contains(step) else {
            let answered = contents.events.last { $0.step == step && ($0.is(.manualAnswered) || $0.is(.manualTimedOut)) }
            if let answered {
                let what = answered.is(.manualTimedOut) ? "timed out" : "was already answered (\(answered.data["answer"]?.stringValue ?? "?") by \(answered.data["operator"]?.stringValue ?? "?"))"
                Console.error("step `\(step)` \(what); nothing was recorded")
            } else if waiting.isEmpty {
                Console.error("no step of \(runDirectory) is waiting for an answer; nothing was recorded")
            } else {
                Console.error("step `\(step)` is not waiting for an answer; waiting: \(waiting.joined(separator: ", ")); nothing was recorded")
            }
            throw ExitStatus.failed
        }
        // A runner that died while it waited reads no answer: say so rather than record one nobody will see.
        if ProcessLock.state(runDirectory + "/" + RunDirectory.lockFileName) == .free {
            Console.error("the runner of \(runDirectory) is no longer running, so nobody can read an answer; nothing was recorded. Run `firedrill recover \(runDirectory)` to finish what it owes")
            throw ExitStatus.failed
        }
        let answer = OperatorAnswer(step: step, approved: !reject, operator: `operator`, comment: comment, via: "confirm")
        do {
            try answer.write(in: runDirectory)
        } catch {
            Console.error("could not leave the answer in \(runDirectory): \(error)")
            throw ExitStatus.failed
        }
        print("\(answer.word) `\(step)` as \(`operator`); the runner journals it within a second")
    }

    /// The manual steps that started waiting and have not been answered or timed out, in journal order.
    static func waitingSteps(_ events: [JournalEvent]) -> [String] {
        var waiting: [String] = []
        for event in events {
            guard let step = event.step else { continue }
            if event.is(.manualWaiting) {
                waiting.append(step)
            } else if event.is(.manualAnswered) || event.is(.manualTimedOut) || event.is(.stepEnded) {
                waiting.removeAll { $0 == step }
            }
        }
        if events.contains(where: { $0.is(.runEnded) }) { return [] }
        return waiting
    }
}
