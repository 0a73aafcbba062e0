import FiredrillTestSupport
import Foundation
import Testing

/// `validate DIR` and `list DIR` over a directory holding plans built to crash the loader and one valid plan: each
/// bad file is reported as invalid, and the valid plan is still checked and listed.
@Suite struct HostileDirectoryTests {
    static func directory() throws -> String {
        let dir = try TempDirectory.make(prefix: "hostile-dir")
        let header = "apiVersion: firedrill/v1\nkind: Experiment\ntitle: t\nenvironment: staging\nmethod:\n  - command: [echo, ok]\n"
        try (header + "name: a-deep-one\nx: " + String(repeating: "[", count: 6000) + String(repeating: "]", count: 6000) + "\n")
            .write(toFile: dir + "/a-deep.yaml", atomically: true, encoding: .utf8)
        var bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        for (previous, name) in zip("abcdefgh", "bcdefghi") {
            bomb += "\(name): &\(name) [" + Array(repeating: "*\(previous)", count: 9).joined(separator: ", ") + "]\n"
        }
        try (header + "name: b-bomb\n" + bomb).write(toFile: dir + "/b-bomb.yaml", atomically: true, encoding: .utf8)
        try (header + "name: c-dashes\nx:\n" + String(repeating: "- ", count: 5000) + "\n").write(toFile: dir + "/c-dashes.yaml", atomically: true, encoding: .utf8)
        try (header + "name: d-good\n").write(toFile: dir + "/d-good.yaml", atomically: true, encoding: .utf8)
        return dir
    }

    @Test func validateReportsEveryBadFileAndStillChecksTheGoodOne() async throws {
        let dir = try Self.directory()
        let child = try ChildProcess([try FiredrillBinary.path(), "validate", dir])
        #expect(await child.wait(timeout: .seconds(60)) == 4)
        let output = child.readOutput()
        #expect(output.contains("a-deep.yaml:8:"), "\(output)")
        #expect(output.contains("c-dashes.yaml:9:"), "\(output)")
        #expect(output.contains("the YAML nests more than 64 levels deep here"), "\(output)")
        #expect(output.contains("b-bomb.yaml:"), "\(output)")
        #expect(output.contains("the YAML expands to more than 100000 nodes"), "\(output)")
        #expect(output.contains("d-good.yaml: ok"), "\(output)")
        #expect(output.contains("4 plans checked: 1 valid, 3 invalid"), "\(output)")
    }

    @Test func listShowsTheGoodPlanAndTheBadFilesAsInvalid() async throws {
        let dir = try Self.directory()
        let child = try ChildProcess([try FiredrillBinary.path(), "list", dir])
        #expect(await child.wait(timeout: .seconds(60)) == 0)
        let output = child.readOutput()
        #expect(output.contains("d-good"), "\(output)")
        #expect(output.split(separator: "\n").filter { $0.hasPrefix("invalid") }.count == 3, "\(output)")
        #expect(output.contains("3 invalid plans"), "\(output)")
    }
}
