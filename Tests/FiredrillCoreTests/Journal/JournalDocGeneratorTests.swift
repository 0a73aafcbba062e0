import Foundation
import Testing
@testable import FiredrillCore

@Suite struct JournalDocGeneratorTests {
    static let documentURL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/journal.md")

    /// docs/journal.md must be exactly what the generator renders from `JournalEventType` now.
    /// Run with `FIREDRILL_UPDATE_DOCS=1 swift test --filter JournalDocGeneratorTests` to rewrite it.
    @Test func committedDocumentIsCurrent() throws {
        let generated = JournalDocGenerator.markdown()
        if ProcessInfo.processInfo.environment["FIREDRILL_UPDATE_DOCS"] == "1" {
            let existing = try? String(contentsOf: Self.documentURL, encoding: .utf8)
            if existing != generated { try generated.write(to: Self.documentURL, atomically: true, encoding: .utf8) }
        }
        let current = try String(contentsOf: Self.documentURL, encoding: .utf8)
        #expect(current == generated,
                "docs/journal.md is stale: run `FIREDRILL_UPDATE_DOCS=1 swift test --filter JournalDocGeneratorTests` and commit the result")
    }

    @Test func everyEventHasASectionWithItsFields() throws {
        let markdown = JournalDocGenerator.markdown()
        for type in JournalEventType.allCases {
            let heading = "### `\(type.rawValue)`"
            let start = try #require(markdown.range(of: heading), "\(type.rawValue) has no section")
            let section = markdown[start.upperBound...].prefix { $0 != "#" }
            #expect(section.contains(type.when), "\(type.rawValue): when it is written is missing")
            #expect(markdown.contains("[`\(type.rawValue)`](#\(JournalDocGenerator.anchor(type)))"), "\(type.rawValue) is not in the index")
            for field in type.fields {
                #expect(section.contains("| `\(field.name)` | \(field.type) |"), "\(type.rawValue).\(field.name) is missing")
            }
        }
    }
}
