import FiredrillTestSupport
import Foundation
import Testing

/// `validate`, `list` and `due` with no path look in `experiments` and `drills` (else the current folder), and the
/// team's `firedrill.yaml` beside the plans is never taken for a plan.
@Suite struct DefaultPlanFoldersTests {
    static func run(_ arguments: [String], in directory: String) async throws -> (status: Int32?, output: String) {
        let child = try ChildProcess([try FiredrillBinary.path()] + arguments, workingDirectory: directory)
        let status = await child.wait(timeout: .seconds(60))
        return (status, child.readOutput())
    }

    @Test func withNoPathThePlanFoldersAreSearchedAndTheConfigurationIsSkipped() async throws {
        let dir = try TempDirectory.make(prefix: "default-folders")
        for folder in ["experiments", "drills", "elsewhere"] {
            try FileManager.default.createDirectory(atPath: dir + "/" + folder, withIntermediateDirectories: true)
        }
        let plan = "apiVersion: firedrill/v1\nkind: Experiment\ntitle: t\nenvironment: staging\nmethod:\n  - command: [echo, ok]\n"
        try (plan + "name: kill-one\n").write(toFile: dir + "/experiments/kill-one.yaml", atomically: true, encoding: .utf8)
        try (plan + "name: not-searched\n").write(toFile: dir + "/elsewhere/not-searched.yaml", atomically: true, encoding: .utf8)
        try "protected-environments: [production]\n".write(toFile: dir + "/drills/firedrill.yaml", atomically: true, encoding: .utf8)

        let validate = try await Self.run(["validate"], in: dir)
        #expect(validate.status == 0, "\(validate.output)")
        #expect(validate.output.contains("experiments/kill-one.yaml: ok") && validate.output.contains("1 plan checked: 1 valid"), "\(validate.output)")
        #expect(!validate.output.contains("firedrill.yaml") && !validate.output.contains("not-searched"), "\(validate.output)")

        let list = try await Self.run(["list"], in: dir)
        #expect(list.status == 0 && list.output.contains("kill-one") && !list.output.contains("invalid"), "\(list.output)")

        // A folder with no plan folders is searched itself; nothing there is an error, not a pass.
        let empty = try TempDirectory.make(prefix: "default-folders-empty")
        let none = try await Self.run(["validate"], in: empty)
        #expect(none.status == 4 && none.output.contains("no plan files (*.yaml, *.yml) found in ."), "\(none.output)")
    }
}
