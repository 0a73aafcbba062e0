import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// Every fixture under `Fixtures/bad` is an invalid plan whose leading `# expect: LINE:COL: MESSAGE` comments list
/// the exact errors the loader must report: one line per error, the message given in full or as a prefix.
///
/// A fixture whose point is to have no content (an empty or whitespace-only file) keeps its expectations in a
/// sidecar `NAME.expect` file instead, written the same way.
@Suite struct BadPlanTests {
    /// One expected error.
    struct Expectation: CustomStringConvertible, Hashable {
        var line: Int
        var column: Int
        var messagePrefix: String

        var description: String { "\(line):\(column): \(messagePrefix)" }

        func matches(_ d: Diagnostic) -> Bool {
            d.location.line == line && d.location.column == column && d.message.hasPrefix(messagePrefix)
        }
    }

    static var badDirectory: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("bad")
    }

    /// The fixture file names, sorted, found when the tests are discovered.
    static func fixtureNames() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: badDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted()
    }

    /// Reads `# expect:` lines from the start of `text` (they may be preceded by nothing else).
    static func expectations(in text: String) -> [Expectation] {
        var result: [Expectation] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("# expect: ") else { break }
            let body = line.dropFirst("# expect: ".count)
            let parts = body.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count == 3, let l = Int(parts[0]), let c = Int(parts[1]) else { continue }
            result.append(Expectation(line: l, column: c, messagePrefix: String(parts[2].drop { $0 == " " })))
        }
        return result
    }

    static func expectations(forFixture name: String) throws -> [Expectation] {
        let url = badDirectory.appendingPathComponent(name)
        let sidecar = url.deletingPathExtension().appendingPathExtension("expect")
        if FileManager.default.fileExists(atPath: sidecar.path) {
            return expectations(in: try String(contentsOf: sidecar, encoding: .utf8))
        }
        // Decode line by line: a fixture may hold invalid UTF-8 or a NUL byte below its header.
        let lines = try Data(contentsOf: url).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let header = lines.prefix { String(data: Data($0), encoding: .utf8)?.hasPrefix("# expect: ") == true }
        return expectations(in: header.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n"))
    }

    @Test func thereAreEnoughFixtures() {
        #expect(Self.fixtureNames().count >= 45)
    }

    @Test(arguments: BadPlanTests.fixtureNames())
    func fixtureReportsExactlyTheExpectedErrors(_ name: String) throws {
        let expected = try Self.expectations(forFixture: name)
        try #require(!expected.isEmpty, "\(name) has no `# expect:` line")

        let path = Self.badDirectory.appendingPathComponent(name).path
        let result = PlanLoader.load(path: path, catalog: TestCatalog.builtin)
        #expect(result.plan == nil, "\(name) loaded as a valid plan")

        var unmatched = result.errors
        var missing: [Expectation] = []
        // Longest prefixes first, so a short prefix cannot steal the error a longer one describes.
        for e in expected.sorted(by: { $0.messagePrefix.count > $1.messagePrefix.count }) {
            if let i = unmatched.firstIndex(where: e.matches) {
                unmatched.remove(at: i)
            } else {
                missing.append(e)
            }
        }
        let got = result.errors.map { "\($0.location.line):\($0.location.column): \($0.message)" }
        #expect(missing.isEmpty, "\(name): expected but not reported: \(missing); reported: \(got)")
        #expect(unmatched.isEmpty, "\(name): reported but not expected: \(unmatched.map(\.headline))")
        for d in result.errors {
            #expect(d.location.file == path)
            #expect(d.location.line >= 1 && d.location.column >= 1)
        }
    }

    @Test func expectationLinesParse() {
        let parsed = Self.expectations(in: "# expect: 3:7: unknown kind `X`: a plan\n# expect: 10:1: b\nkind: X\n# expect: 1:1: ignored")
        #expect(parsed == [Expectation(line: 3, column: 7, messagePrefix: "unknown kind `X`: a plan"),
                           Expectation(line: 10, column: 1, messagePrefix: "b")])
    }
}
