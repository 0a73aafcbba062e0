import Foundation
import Testing
@testable import FiredrillCore

@Suite struct JournalEventTypeTests {
    @Test func everyTypeSaysWhenItIsWrittenAndNamesEachFieldOnce() {
        for type in JournalEventType.allCases {
            #expect(!type.when.isEmpty, "\(type.rawValue) does not say when it is written")
            let names = type.fields.map(\.name)
            #expect(Set(names).count == names.count, "\(type.rawValue) names a field twice: \(names)")
            for field in type.fields {
                #expect(!field.type.isEmpty && !field.meaning.isEmpty, "\(type.rawValue).\(field.name) is undescribed")
            }
        }
    }

    @Test func namesOnDiskAreLowercaseDottedAndDistinct() {
        let names = JournalEventType.allCases.map(\.rawValue)
        #expect(Set(names).count == names.count)
        for name in names {
            #expect(name.split(separator: ".").count == 2, "\(name) is not `noun.verb`")
            #expect(name.allSatisfy { $0.isLowercase || $0 == "." || $0 == "-" }, "\(name) is not lowercase")
        }
    }

    @Test func anEventReadsBackAsItsTypeAndAnUnknownTypeAsNil() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url, clock: JournalSamples.frozenClock)
        let known = try await journal.append(type: JournalEventType.phaseStarted.rawValue, data: ["phase": "method"])
        let unknown = try await journal.append(type: "from.a-later-release")
        try await journal.close()
        let events = try JournalReader.read(at: dir.journalFile).events
        #expect(events == [known, unknown])
        #expect(events[0].eventType == .phaseStarted)
        #expect(events[0].is(.phaseStarted) && !events[0].is(.stepStarted))
        #expect(events[1].eventType == nil)
        #expect(!JournalEventType.allCases.contains { events[1].is($0) })
    }

    @Test func theTornLineEventIsPartOfTheVocabulary() {
        #expect(JournalEventType(rawValue: Journal.tornLineDiscardedType) == .journalTornLineDiscarded)
        #expect(JournalEventType.journalTornLineDiscarded.fields.map(\.name) == ["line", "bytes", "text"])
    }
}

extension JournalEventTypeTests {
    @Test func undeclaredFieldsNamesWhatTheVocabularyLacks() {
        let declared = JournalEvent(seq: 1, time: "t", mono: 0, type: JournalEventType.undoDone.rawValue,
                                    data: ["id": 1, "how": "resumed"], prev: Journal.genesisHash)
        let extra = JournalEvent(seq: 2, time: "t", mono: 0, type: JournalEventType.undoDone.rawValue,
                                 data: ["id": 1, "how": "resumed", "zeta": true, "alpha": 2], prev: Journal.genesisHash)
        let driverSpecific = JournalEvent(seq: 3, time: "t", mono: 0, type: JournalEventType.targetsResolved.rawValue,
                                          data: ["workload": "deployment/api"], prev: Journal.genesisHash)
        let unknown = JournalEvent(seq: 4, time: "t", mono: 0, type: "from.a-later-release", prev: Journal.genesisHash)
        #expect(declared.undeclaredFields == [])
        #expect(extra.undeclaredFields == ["alpha", "zeta"])
        #expect(driverSpecific.undeclaredFields == [])
        #expect(unknown.undeclaredFields == nil)
    }
}
