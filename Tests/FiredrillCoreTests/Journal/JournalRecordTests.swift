import Foundation
import Testing
@testable import FiredrillCore

/// The typed records over journal `data`: every member they read is written down in `JournalEventType`, and read
/// over the committed release journal they give exactly what its JSON holds.
@Suite struct JournalRecordTests {
    static let records: [any JournalRecord.Type] = [
        RunStartedRecord.self, PhaseStartedRecord.self, StepStartedRecord.self, StepEndedRecord.self,
        ProbeResultRecord.self, UndoIntentRecord.self, UndoStartedRecord.self, UndoClosedRecord.self,
        RunEndedRecord.self, RTOMeasuredRecord.self, RPOMeasuredRecord.self,
    ]

    @Test func everyMemberARecordReadsIsDeclaredForItsEventTypes() {
        for record in Self.records {
            #expect(!record.eventTypes.isEmpty)
            for member in record.members {
                let declaring = record.eventTypes.filter { type in type.fields.contains { $0.name == member } }
                #expect(!declaring.isEmpty, "\(record).\(member) is declared by none of \(record.eventTypes.map(\.rawValue).sorted())")
            }
        }
        // Members every type of a multi-type record shares.
        #expect(UndoClosedRecord.eventTypes.allSatisfy { type in type.fields.contains { $0.name == "id" } })
    }

    @Test func aRecordIsOnlyReadFromItsOwnEventType() {
        let ended = JournalEvent(seq: 2, time: "2026-01-01T00:00:00.000000Z", mono: 1, type: JournalEventType.stepEnded.rawValue,
                                 step: "kill", data: ["phase": "method", "status": "failed", "seconds": 1.5, "error": "boom"], prev: "")
        #expect(StepStartedRecord(ended) == nil)
        let record = StepEndedRecord(ended)
        #expect(record != nil)
        #expect(record?.status == "failed" && record?.phase == "method" && record?.seconds == 1.5)
        #expect(record?.summary == nil && record?.detail == "boom")
        let unknown = JournalEvent(seq: 3, time: "2026-01-01T00:00:00.000000Z", mono: 2, type: "from.a-later-release", data: [:], prev: "")
        #expect(StepEndedRecord(unknown) == nil)
    }

    @Test func theReleaseJournalReadsThroughRecordsAsItsJSONSays() throws {
        let events = try JournalReader.read(at: ReleaseJournalTests.journalURL).events
        var seen: Set<String> = []
        for event in events {
            let d = event.data
            if let r = StepStartedRecord(event) {
                #expect(r.phase == d["phase"]?.stringValue && r.kind == d["kind"]?.stringValue && r.params == d["params"])
                seen.insert(event.type)
            }
            if let r = StepEndedRecord(event) {
                #expect(r.status == d["status"]?.stringValue && r.phase == d["phase"]?.stringValue)
                #expect(r.seconds == d["seconds"]?.doubleValue && r.output == d["output"])
                seen.insert(event.type)
            }
            if let r = ProbeResultRecord(event) {
                #expect(r.passed == (d["passed"] == .bool(true)) && r.role == d["role"]?.stringValue)
                #expect(r.message == d["message"]?.stringValue && r.observed == d["observed"])
                seen.insert(event.type)
            }
            if let r = PhaseStartedRecord(event) {
                #expect(r.phase == d["phase"]?.stringValue)
                seen.insert(event.type)
            }
            if let r = RunStartedRecord(event) {
                #expect(r.plan == d["plan"]?.stringValue && r.kind == d["kind"]?.stringValue && r.limitSeconds == d["limits"]?["duration"]?.doubleValue)
                seen.insert(event.type)
            }
            if let r = RunEndedRecord(event) {
                #expect(r.ending == d["ending"]?.stringValue && r.exitCode == d["exit-code"]?.intValue)
                #expect(r.precedence == (d["precedence"]?.arrayValue ?? []).compactMap(\.stringValue))
                seen.insert(event.type)
            }
            if let r = RTOMeasuredRecord(event) {
                #expect(r.seconds == d["seconds"]?.doubleValue && r.verdict == d["verdict"]?.stringValue)
                #expect(r.injected == d["injected"]?.doubleValue && r.stable == d["stable"]?.doubleValue)
                seen.insert(event.type)
            }
        }
        #expect(seen == ["step.started", "step.ended", "probe.result", "phase.started", "run.started", "run.ended", "rto.measured"])
    }

    /// `grep -rn '"phase.started"' Sources` finds only the vocabulary: code names events through `JournalEventType`.
    @Test func noEventNameIsAStringLiteralOutsideTheVocabulary() throws {
        let sources = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" && $0.lastPathComponent != "JournalEventType.swift" }
        #expect(files.count > 100, "found only \(files.count) source files under \(sources.path)")
        let literals = JournalEventType.allCases.map { "\"\($0.rawValue)\"" }
        var found: [String] = []
        for file in files {
            let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (number, line) in lines.enumerated() {
                let code = line.trimmingCharacters(in: .whitespaces)
                if code.hasPrefix("//") { continue }
                for literal in literals where line.contains(literal) {
                    found.append("\(file.lastPathComponent):\(number + 1): \(literal)")
                }
            }
        }
        #expect(found.isEmpty, "event names written as literals: \(found)")
    }
}
