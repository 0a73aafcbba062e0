import ArgumentParser
import FiredrillCore
import FiredrillStore
import Foundation

/// `firedrill history` — the runs the store recorded; `history import` backfills it from run directories.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Show the runs recorded in the history store, or import run directories into it.",
        subcommands: [HistoryListCommand.self, HistoryImportCommand.self],
        defaultSubcommand: HistoryListCommand.self
    )
}

/// `firedrill history [PLAN] [--since DATE] [--format table|json] [--html OUT.html]`.
struct HistoryListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "One row per run: plan, start, environment, ending, RTO and RPO against objective, who ran it."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Argument(help: "Only the runs of this plan.")
    var plan: String?

    @Option(help: ArgumentHelp("Only runs started at or after this time.", discussion: TimeArgument.help))
    var since: String?

    @Option(help: "table (like kubectl get) or json.")
    var format: Format = .table

    @Option(help: "Also write a self-contained HTML page with RTO/RPO charts and cadence strips here.")
    var html: String?

    @Option(help: ArgumentHelp("Plan files or folders whose schedules draw the HTML cadence strips (default: experiments and drills).", valueName: "path"))
    var plans: [String] = []

    @Option(name: .customLong("reports"), help: "Reports root (where the default SQLite store lives).")
    var reportsRoot: String = "reports"

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        var sinceDate: Date?
        if let since {
            guard let parsed = TimeArgument.parse(since) else {
                Console.error("--since \(since): not a time; give \(TimeArgument.help)")
                throw ExitStatus.invalid
            }
            sinceDate = parsed
        }
        // The table alone needs only what it shows; JSON and the page get whole records.
        let summaries = format == .table && html == nil
        let (runs, store) = try await storeOptions.read(reportsRoot: reportsRoot) { [plan, sinceDate] in
            summaries ? try await $0.runSummaries(plan: plan, since: sinceDate) : try await $0.runs(plan: plan, since: sinceDate)
        }
        switch format {
        case .table:
            print(runs.isEmpty ? "No runs recorded in \(store)" + (plan.map { " for \($0)" } ?? "") + "." : HistoryTable.render(runs))
        case .json:
            print(JSONOutput.pretty(runs))
        }
        if let html {
            let page = HistoryPage.render(runs: runs, schedules: ScheduledPlan.load(plans).plans, now: Date(), source: store)
            do {
                try Data(page.utf8).write(to: URL(fileURLWithPath: html), options: .atomic)
                // On stderr, so that `--format json` output stays one JSON document.
                StandardStreams.err("history page: \(html) (\(runs.count) run\(runs.count == 1 ? "" : "s"))\n")
            } catch {
                Console.error("cannot write \(html): \(error.localizedDescription)")
                throw ExitStatus.failed
            }
        }
    }
}

/// `firedrill history import DIR…` — records run directories in the store (again), from their journals.
struct HistoryImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Backfill the store from run directories (or folders of them): each run as its journal tells it."
    )

    @Argument(help: "Run directories, or folders holding run directories.")
    var directories: [String]

    @Option(name: .customLong("reports"), help: "Reports root (where the default SQLite store lives).")
    var reportsRoot: String = "reports"

    @OptionGroup var storeOptions: StoreOptions

    func run() async throws {
        var runDirectories: [String] = []
        for directory in directories {
            if FileManager.default.fileExists(atPath: directory + "/" + RunManifest.fileName) {
                runDirectories.append(directory)
            } else if let names = try? FileManager.default.contentsOfDirectory(atPath: directory) {
                runDirectories += names.sorted().map { directory + "/" + $0 }
                    .filter { FileManager.default.fileExists(atPath: $0 + "/" + RunManifest.fileName) }
            } else {
                Console.error("\(directory): no such directory")
                throw ExitStatus.failed
            }
        }
        let store = try await storeOptions.open(reportsRoot: reportsRoot)
        var imported = 0
        var failed = 0
        for directory in runDirectories {
            do {
                try await store.save(try RunRecord.read(runDirectory: directory))
                imported += 1
            } catch {
                Console.error("\(directory): \(error)")
                failed += 1
            }
        }
        await store.close()
        print("imported \(imported) run\(imported == 1 ? "" : "s") into \(store.description)" + (failed > 0 ? "; \(failed) could not be read" : ""))
        if failed > 0 { throw ExitStatus.failed }
    }
}
