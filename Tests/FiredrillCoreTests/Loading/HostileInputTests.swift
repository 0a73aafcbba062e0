import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// Inputs built to crash, hang or exhaust the loader: each must end in a located diagnostic, quickly.
@Suite struct HostileInputTests {
    static let header = """
    apiVersion: firedrill/v1
    kind: Experiment
    name: hostile
    title: hostile input
    environment: staging
    method:
      - command: [echo, ok]

    """

    static func load(_ text: String) -> LoadResult {
        PlanLoader.load(data: Data(text.utf8), path: "hostile.yaml", catalog: TestCatalog.builtin)
    }

    /// Nesting far past the limit, in every way YAML nests, is refused before the composer recurses.
    @Test(arguments: [
        "nested: " + String(repeating: "[", count: 100_000),
        "nested: " + String(repeating: "{a: ", count: 100_000),
        "nested:\n" + String(repeating: "- ", count: 100_000) + "x",
        "nested:\n" + (0..<300).map { String(repeating: " ", count: $0 + 1) + "k:" }.joined(separator: "\n"),
        "nested:\n" + (0..<300).map { String(repeating: " ", count: 2 * $0 + 1) + "- k:" }.joined(separator: "\n"),
        "nested: &a " + String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
        "nested: [\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\", " + String(repeating: "[", count: 100) + "]",
        "nested: ['it''s ]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]', " + String(repeating: "{a: ", count: 100) + "]",
        "nested: !!seq " + String(repeating: "[", count: 100),
        "nested:\r" + String(repeating: "- ", count: 20_000) + "x",
        "nested:\u{85}" + String(repeating: "- ", count: 20_000) + "x",
        "nested:\u{2028}" + String(repeating: "- ", count: 20_000) + "x",
        "? a\n: " + String(repeating: "- ", count: 20_000) + "x",
        "--- " + String(repeating: "- ", count: 20_000) + "x",
    ])
    func deepNestingIsALocatedError(body: String) {
        let result = Self.load(Self.header + body + "\n")
        #expect(result.plan == nil)
        let error = result.errors.first
        #expect(error?.message.hasPrefix("the YAML nests more than 64 levels") == true, "\(result.diagnostics.map(\.headline))")
        #expect((error?.location.line ?? 0) >= 8)
    }

    /// What looks like nesting inside quotes, comments and block scalars is text, not nesting.
    @Test func bracketsInTextAreNotNesting() {
        let brackets = String(repeating: "[", count: 200)
        let result = Self.load(Self.header + """
        description: |
          \(brackets)
          a literal block keeps its brackets
        title: "\(brackets)"
        owner: '\(brackets)'
        tags: ["a\(brackets)", b]  # \(brackets)
        # \(brackets)

        """)
        #expect(!result.diagnostics.contains { $0.message.contains("nests more than") }, "\(result.diagnostics.map(\.headline))")
    }

    /// Plans in the repository nest far less than the limit.
    @Test func realPlansStayWellUnderTheLimit() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let (files, _) = PlanFiles.expand([root.appendingPathComponent("experiments").path, root.appendingPathComponent("drills").path])
        #expect(files.count > 5)
        for file in files {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(YAMLNestingScan(limit: 16).firstExcess(in: text) == nil, "\(file)")
        }
    }

    /// A billion-laughs bomb stops at the node budget, quickly and in little memory.
    @Test func aliasBombStopsAtTheNodeBudget() {
        var bomb = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        let names = Array("abcdefghijkl")
        for i in 1..<names.count {
            let previous = "*\(names[i - 1])"
            bomb += "\(names[i]): &\(names[i]) [" + Array(repeating: previous, count: 10).joined(separator: ", ") + "]\n"
        }
        let started = ContinuousClock.now
        let result = Self.load(Self.header + bomb)
        #expect(result.errors.map(\.message) == ["the YAML expands to more than 100000 nodes (aliases included) by here"])
        #expect(ContinuousClock.now - started < .seconds(30))
    }

    /// Aliases that only nest through each other still hit the depth limit.
    @Test func aliasesThatDeepenEachOtherHitTheDepthLimit() {
        let level = String(repeating: "[", count: 10)
        let close = String(repeating: "]", count: 10)
        var text = "l0: &l0 \(level)x\(close)\n"
        for i in 1..<12 { text += "l\(i): &l\(i) \(level)*l\(i - 1)\(close)\n" }
        let result = Self.load(Self.header + text)
        #expect(result.errors.first?.message.hasPrefix("the YAML nests more than 64 levels") == true, "\(result.diagnostics.map(\.headline))")
    }

    @Test func aFileOverOneMebibyteIsRefused() {
        let result = Self.load(Self.header + "description: \"" + String(repeating: "a", count: 1 << 20) + "\"\n")
        #expect(result.errors.map(\.message) == ["the file is 1MiB: a plan file may be at most 1MiB"])
    }

    /// A value cannot grow past the substitution cap, and the validator says so.
    @Test func substitutionOutputIsCapped() {
        let big = String(repeating: "y", count: 1000)
        let (text, overflowed) = Interpolation.expand(String(repeating: "${x}", count: 100)) { _ in big }
        #expect(overflowed)
        #expect(text.utf8.count <= Interpolation.maxExpandedBytes + 4 * 100)
        #expect(!Interpolation.expand("${x}${x}") { _ in big }.overflowed)
    }

    /// One diagnostic per character of a hostile line is capped, and the line is shown as a window.
    @Test func diagnosticsAndSourceLinesAreBounded() {
        let result = Self.load(Self.header + "description: \"" + String(repeating: "${x", count: 1) + String(repeating: "${", count: 5000) + "\"\n"
                               + (0..<300).map { "bad\($0): 1" }.joined(separator: "\n") + "\n")
        #expect(result.diagnostics.count == PlanLoader.maxDiagnostics + 1)
        #expect(result.diagnostics.last?.message.hasSuffix("more problems in this file not shown") == true)
        let rendered = result.rendered()
        #expect(rendered.utf8.count < 100_000, "\(rendered.utf8.count) bytes")
    }

    @Test func typoSuggestionsIgnoreHugeWords() {
        #expect(Suggestion.closest(to: String(repeating: "a", count: 100_000), in: ["apiVersion"]) == nil)
        #expect(Suggestion.closest(to: "namepsace", in: ["namespace", String(repeating: "n", count: 100_000)]) == "namespace")
    }

    @Test func anUnknownVarOverrideIsAnErrorWithASuggestion() {
        let text = Self.header + "vars: { namespace: geo, api: x }\n"
        let result = PlanLoader.load(data: Data(text.utf8), path: "p.yaml", catalog: TestCatalog.builtin, overrides: ["namepsace": "prod-geo"])
        #expect(result.errors.map(\.message) == ["`--var namepsace=…` names no var of this plan"])
        #expect(result.errors.first?.hint == "did you mean `namespace`?")
        let lenient = PlanLoader.load(data: Data(text.utf8), path: "p.yaml", catalog: TestCatalog.builtin, overrides: ["namepsace": "prod-geo"], strictOverrides: false)
        #expect(lenient.errors.isEmpty)
        let referenced = PlanLoader.load(data: Data((Self.header + "description: \"${extra}\"\n").utf8), path: "p.yaml", catalog: TestCatalog.builtin, overrides: ["extra": "x"])
        #expect(referenced.errors.isEmpty, "a var the plan references but does not declare may be given")
    }

    @Test func numbersFromTheEnvironmentGetTheValidatorsBounds() throws {
        let node = PlanNode(.mapping([
            PlanNode.Entry(key: "replicas", keyLocation: SourceLocation(file: "p", line: 1, column: 1),
                           value: PlanNode(.scalar("99999999999", quoted: false), at: SourceLocation(file: "p", line: 1, column: 1))),
        ]), at: SourceLocation(file: "p", line: 1, column: 1))
        let params = DriverParams(key: "kubernetes.scale", node: node, spec: TestCatalog.builtin.spec("kubernetes.scale"))
        #expect(throws: DriverError.self) { try params.int("replicas") }
    }
}
