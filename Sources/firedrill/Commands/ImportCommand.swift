import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillDrivers

/// `firedrill import …` — bring plans over from other tools.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Translate an experiment written for another tool into a Firedrill plan.",
        subcommands: [ImportChaosToolkitCommand.self]
    )
}

/// `firedrill import chaostoolkit FILE [-o OUT.yaml]`.
struct ImportChaosToolkitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chaostoolkit",
        abstract: "Translate a Chaos Toolkit experiment (JSON or YAML) into a Firedrill plan.",
        discussion: """
        Everything that cannot be mapped is listed on stderr and at the top of the plan, and left as a TODO that
        keeps `firedrill validate` failing until a person decides. Exit codes: 0 everything mapped and the plan
        validates, 5 something was not mapped (the plan is still written), 4 the input is not a Chaos Toolkit
        experiment (nothing is written).
        """
    )

    @Argument(help: "The Chaos Toolkit experiment (.json, .yaml or .yml).")
    var file: String

    @Option(name: [.short, .customLong("output")], help: "Write the plan here instead of stdout.")
    var output: String?

    @Option(help: "The plan's environment (Chaos Toolkit does not record one).")
    var environment: String = "staging"

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            Console.error("\(file): cannot read the file")
            throw ExitStatus.invalid
        }
        let imported: ChaosToolkitImport
        do {
            imported = try ChaosToolkitImporter(path: file, environment: environment).translate(data)
        } catch {
            let renderer = DiagnosticRenderer(source: String(decoding: data, as: UTF8.self))
            StandardStreams.err(error.diagnostics.map(renderer.render).joined(separator: "\n") + "\n")
            throw ExitStatus.invalid
        }
        if let output {
            if FileManager.default.fileExists(atPath: output), !force {
                Console.error("\(output) exists; pass --force to overwrite it")
                throw ExitStatus.failed
            }
            do {
                try Data(imported.yaml.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
            } catch {
                Console.error("cannot write \(output): \(error)")
                throw ExitStatus.failed
            }
        } else {
            StandardStreams.out(imported.yaml)
        }
        let target = output ?? "the plan"
        for u in imported.unmapped { Console.error("not mapped: \(u)") }
        if !imported.unmapped.isEmpty {
            Console.error("\(imported.unmapped.count) item(s) not mapped: \(target) has a TODO for each and will not validate until you decide")
            throw ExitCode(imported.exitCode)
        }
        let check = PlanLoader.load(data: Data(imported.yaml.utf8), path: output ?? "imported.yaml", catalog: BuiltinDrivers.catalog)
        if check.plan == nil {
            StandardStreams.err(check.rendered() + "\n")
            Console.error("the imported plan does not validate: fix the errors above")
            throw ExitCode(5)
        }
        for note in imported.notes { Console.error("note: \(note)") }
    }
}
