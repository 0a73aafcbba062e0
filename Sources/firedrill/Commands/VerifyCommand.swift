import ArgumentParser
import Foundation
import FiredrillCore

/// `firedrill verify RUN_DIR` — check the journal's hash chain and name the first bad event.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a run's journal: every event's hash chain, sequence and format."
    )

    @Argument(help: "The run directory, or a journal.jsonl file.")
    var path: String

    func run() throws {
        let file = path.hasSuffix(".jsonl") ? path : path + "/" + Journal.fileName
        let result: VerificationResult
        do {
            result = try JournalVerifier.verify(at: URL(fileURLWithPath: file))
        } catch {
            Console.error("cannot read \(file): \(error)")
            throw ExitStatus.failed
        }
        if result.isValid {
            print("\(file): valid, \(result.eventCount) events, head \(result.head)")
            // A torn last line cut off by `recover` is part of the record: say so.
            let events = (try? JournalReader.read(at: URL(fileURLWithPath: file)).events) ?? []
            for cut in events where cut.is(.journalTornLineDiscarded) {
                let bytes = cut.data["bytes"]?.intValue.map(String.init) ?? "?"
                let line = cut.data["line"]?.intValue.map(String.init) ?? "?"
                print("note: event \(cut.seq) records that a torn last line (\(bytes) bytes at line \(line), the runner stopped mid-write) was cut off")
            }
        } else {
            print("\(file): INVALID: \(result)")
            throw ExitStatus.deviated
        }
    }
}
