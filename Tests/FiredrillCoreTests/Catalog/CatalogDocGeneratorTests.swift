import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

@Suite struct CatalogDocGeneratorTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/plan-format.md")

    /// The reference block of docs/plan-format.md must be exactly what the generator renders now.
    /// Run with `FIREDRILL_UPDATE_DOCS=1 swift test --filter CatalogDocGeneratorTests` to rewrite it.
    @Test func committedReferenceIsCurrent() throws {
        let document = try String(contentsOf: Self.documentURL, encoding: .utf8)
        if ProcessInfo.processInfo.environment["FIREDRILL_UPDATE_DOCS"] == "1" {
            let updated = try #require(CatalogDocGenerator.replacingGeneratedBlock(in: document, catalog: TestCatalog.builtin), "the generated-block markers are missing")
            if updated != document { try updated.write(to: Self.documentURL, atomically: true, encoding: .utf8) }
        }
        let current = try String(contentsOf: Self.documentURL, encoding: .utf8)
        let block = try #require(CatalogDocGenerator.generatedBlock(in: current),
                                 "docs/plan-format.md lacks \(CatalogDocGenerator.beginMarker) … \(CatalogDocGenerator.endMarker)")
        #expect(block == CatalogDocGenerator.markdown(TestCatalog.builtin),
                "docs/plan-format.md is stale: run `FIREDRILL_UPDATE_DOCS=1 swift test --filter CatalogDocGeneratorTests` and commit the result")
    }

    @Test func everyDriverAndEveryParameterIsDocumented() {
        let markdown = CatalogDocGenerator.markdown(TestCatalog.builtin)
        for spec in TestCatalog.builtin.all {
            #expect(markdown.contains("#### `\(spec.key)`"), "\(spec.key) has no section")
            for p in spec.params {
                #expect(markdown.contains("| `\(p.name)` |"), "\(spec.key).\(p.name) is missing")
            }
        }
        for p in PlanSchema.topLevel + PlanSchema.probeCommon + PlanSchema.stepCommon {
            #expect(markdown.contains("| `\(p.name)` |"))
        }
    }

    @Test func aDriverSectionStatesItsFactsRulesAndParameters() throws {
        let markdown = CatalogDocGenerator.markdown(TestCatalog.builtin)
        let start = try #require(markdown.range(of: "#### `process.kill`"))
        let end = try #require(markdown.range(of: "#### ", range: start.upperBound..<markdown.endIndex))
        let section = String(markdown[start.lowerBound..<end.lowerBound])
        #expect(section.contains("Sends a signal to local processes."))
        #expect(section.contains("| role | step |"))
        #expect(section.contains("| default timeout | 30s |"))
        #expect(section.contains("| `signal` | signal (e.g. KILL, TERM, 9) |  | `KILL` | the signal to send |"))
        #expect(section.contains("- exactly one of `pid`, `pidfile`, `match`"))
        #expect(section.contains("- at most one of `count`, `percent`"))
        #expect(section.contains("| `mode` | random \\| oldest \\| newest \\| all |"))

        let k = try #require(markdown.range(of: "#### `kubernetes.scale`"))
        let kEnd = try #require(markdown.range(of: "#### ", range: k.upperBound..<markdown.endIndex))
        let scale = String(markdown[k.lowerBound..<kEnd.lowerBound])
        #expect(scale.contains("| undo | the previous replica count restored |"))
        #expect(scale.contains("| runs | `kubectl` |"))
        #expect(scale.contains("| `replicas` | integer ≥ 0 | yes |"))
    }

    @Test func probesListWhatTheyObserveAndShorthandsAreExplained() {
        let markdown = CatalogDocGenerator.markdown(TestCatalog.builtin)
        #expect(markdown.contains("| observes | `status`, `headers`, `body`, `json`, `latency`"))
        #expect(markdown.contains("`command: [program, arg…]` means `command: { run: [program, arg…] }`"))
        #expect(markdown.contains("`wait: 5m` means `wait: { for: 5m }`"))
    }

    @Test func replacingTheBlockKeepsTheNarrativeAndIsIdempotent() throws {
        let document = "# Title\n\nNarrative.\n\n\(CatalogDocGenerator.beginMarker)\nold text\n\(CatalogDocGenerator.endMarker)\n\nTrailer.\n"
        let once = try #require(CatalogDocGenerator.replacingGeneratedBlock(in: document, catalog: TestCatalog.builtin))
        #expect(once.hasPrefix("# Title\n\nNarrative.\n\n"))
        #expect(once.hasSuffix("\(CatalogDocGenerator.endMarker)\n\nTrailer.\n"))
        #expect(!once.contains("old text"))
        #expect(CatalogDocGenerator.replacingGeneratedBlock(in: once, catalog: TestCatalog.builtin) == once)
        #expect(CatalogDocGenerator.replacingGeneratedBlock(in: "no markers", catalog: TestCatalog.builtin) == nil)
    }
}
