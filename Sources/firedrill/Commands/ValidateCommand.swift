import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillDrivers

/// `firedrill validate FILE|DIR…` — every problem in every plan, in one pass.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check plans and report every problem as path:line:column.",
        discussion: "Exit code 0 when every plan is valid, 4 when any is not."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    @Argument(help: "Plan files, or directories searched for *.yaml / *.yml (default: experiments and drills, else the current folder).")
    var paths: [String] = []

    @Option(help: "Output format: text or json (for CI annotations).")
    var format: Format = .text

    @Option(name: .customLong("var"), help: "Override a var: --var name=value (repeatable).")
    var vars: [String] = []

    @Flag(help: "Print only problems, not the per-file OK lines.")
    var quiet = false

    func run() throws {
        let overrides = try VarOption.parse(vars)
        let roots = PlanFiles.roots(paths)
        let (files, missing) = PlanFiles.expand(roots)
        var results = [LoadResult](repeating: LoadResult(path: "", text: "", plan: nil, diagnostics: []), count: files.count)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own slot, so sharing the buffer across threads is safe.
            nonisolated(unsafe) let base = buffer.baseAddress!
            DispatchQueue.concurrentPerform(iterations: files.count) { i in
                base[i] = PlanLoader.load(path: files[i], catalog: BuiltinDrivers.catalog, overrides: overrides, strictOverrides: files.count == 1)
            }
        }
        for path in missing {
            results.append(LoadResult(path: path, text: "", plan: nil, diagnostics: [
                Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "no such file or directory"),
            ]))
        }
        if files.isEmpty, missing.isEmpty {
            StandardStreams.err("firedrill: no plan files (*.yaml, *.yml) found in \(roots.joined(separator: ", "))\n")
            throw ExitStatus.invalid
        }
        let invalid = results.filter { !$0.errors.isEmpty }
        switch format {
        case .json:
            print(jsonReport(results))
        case .text:
            var out = ""
            for result in results {
                if result.diagnostics.isEmpty {
                    if !quiet { out += "\(result.path): ok\n" }
                } else {
                    out += result.rendered() + "\n"
                }
            }
            let errorCount = results.reduce(0) { $0 + $1.errors.count }
            out += "\(results.count) plan\(results.count == 1 ? "" : "s") checked: \(results.count - invalid.count) valid, \(invalid.count) invalid"
            out += errorCount > 0 ? " (\(errorCount) error\(errorCount == 1 ? "" : "s"))\n" : "\n"
            StandardStreams.out(out)
        }
        if !invalid.isEmpty { throw ExitStatus.invalid }
    }

    private func jsonReport(_ results: [LoadResult]) -> String {
        let diagnostics = results.flatMap(\.diagnostics).map { d -> [String: JSONValue] in
            var o: [String: JSONValue] = [
                "file": .string(d.location.file), "line": .number(Double(d.location.line)),
                "column": .number(Double(d.location.column)), "severity": .string(d.severity.rawValue),
                "message": .string(d.message),
            ]
            if let hint = d.hint { o["hint"] = .string(hint) }
            return o
        }
        let files = results.map { r -> JSONValue in
            .object(["file": .string(r.path), "valid": .bool(r.errors.isEmpty)])
        }
        let root: JSONValue = .object([
            "valid": .bool(results.allSatisfy { $0.errors.isEmpty }),
            "files": .array(files),
            "diagnostics": .array(diagnostics.map { .object($0) }),
        ])
        return JSONOutput.pretty(root)
    }
}
