import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

@Suite struct DiagnosticRendererTests {
    @Test func rendersHeadlineSourceLineCaretAndHint() {
        let source = "apiVersion: firedrill/v1\nkind: Experment\nname: x\n"
        let d = Diagnostic(at: SourceLocation(file: "plans/x.yaml", line: 2, column: 7),
                           "unknown kind `Experment`", hint: "did you mean `Experiment`?", length: 9)
        let lines = DiagnosticRenderer(source: source).render(d).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines == [
            "plans/x.yaml:2:7: error: unknown kind `Experment`",
            "    kind: Experment",
            "          ^~~~~~~~~",
            "    hint: did you mean `Experiment`?",
        ])
    }

    @Test func caretLinesUpUnderTheColumnOfARealLoaderError() throws {
        let text = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: x
        title: X
        environment: staging
        method:
          - process.kill: { match: worker, mode: randm }
        """
        let result = PlanLoader.load(data: Data(text.utf8), path: "x.yaml", catalog: TestCatalog.builtin)
        let d = try #require(result.errors.first)
        let rendered = result.rendered().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(rendered[0] == "x.yaml:7:42: error: `process.kill.mode`: `randm` is not one of random, oldest, newest, all")
        #expect(rendered[1] == "      - process.kill: { match: worker, mode: randm }")
        let caret = try #require(rendered[2].firstIndex(of: "^"))
        let column = rendered[2].distance(from: rendered[2].startIndex, to: caret) - 4 + 1
        #expect(column == d.location.column)
        let underlined = rendered[1].dropFirst(4 + column - 1).prefix(5)
        #expect(underlined == "randm")
        #expect(rendered[3] == "    hint: did you mean `random`?")
    }

    @Test func warningsSayWarningAndOmitAMissingHint() {
        let d = Diagnostic(.warning, at: SourceLocation(file: "a.yaml", line: 1, column: 1), "something odd")
        let out = DiagnosticRenderer(source: "key: value").render(d)
        #expect(out == "a.yaml:1:1: error: something odd\n    key: value\n    ^".replacingOccurrences(of: "error", with: "warning"))
    }

    @Test func aLineBeyondTheFileRendersOnlyTheHeadline() {
        let d = Diagnostic(at: SourceLocation(file: "a.yaml", line: 9, column: 1), "past the end", hint: "a hint")
        #expect(DiagnosticRenderer(source: "one line").render(d) == "a.yaml:9:1: error: past the end\n    hint: a hint")
    }

    @Test func aTabIsShownAsOneVisibleCharacterSoTheCaretStillLinesUp() {
        let d = Diagnostic(at: SourceLocation(file: "a.yaml", line: 2, column: 1), "a tab character is not allowed in indentation")
        let out = DiagnosticRenderer(source: "method:\n\t- wait: 5s").render(d)
        #expect(out.split(separator: "\n")[1] == "    →- wait: 5s")
        #expect(out.split(separator: "\n")[2] == "    ^")
    }
}
