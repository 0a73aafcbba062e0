import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillReport

/// `firedrill report RUN_DIR` — re-render a run's reports from its journal.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Re-render the reports of a run from its journal."
    )

    @Argument(help: "The run directory.")
    var runDirectory: String

    @Option(name: .customLong("format"), help: "Formats to render (repeatable): \(ReportWriter.Format.allCases.map(\.rawValue).joined(separator: ", ")). Default: all.")
    var formats: [ReportWriter.Format] = []

    func run() throws {
        do {
            let written = try ReportWriter.write(runDirectory: runDirectory, formats: formats.isEmpty ? ReportWriter.Format.allCases : formats)
            for path in written { print(path) }
            StandardStreams.err(JournalSummaryLine.text(runDirectory: runDirectory) + "\n")
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
    }
}

extension ReportWriter.Format: ExpressibleByArgument {}
