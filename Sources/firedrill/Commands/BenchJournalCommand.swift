import ArgumentParser
import FiredrillReport

/// `firedrill bench-journal DIR` (hidden): writes a synthetic one-hour drill journal for the report benchmark.
struct BenchJournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-journal", abstract: "Write a synthetic drill journal (benchmark).", shouldDisplay: false)

    @Argument(help: "The run directory to create.")
    var directory: String

    @Option(help: "Probe results to write.")
    var probeEvents: Int = 50_000

    @OptionGroup var signing: SigningOptions

    func run() async throws {
        let summary = try await SyntheticJournal.write(to: directory, probeEvents: probeEvents, signing: try signing.signing())
        print("\(directory): \(summary.events) events, \(summary.probeEvents) probe results, head \(summary.head)")
    }
}
