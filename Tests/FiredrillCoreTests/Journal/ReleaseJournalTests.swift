import Foundation
import Testing
@testable import FiredrillCore

/// A journal written by today's runner (a `local-sandbox-outage` drill against `firedrill sandbox`), committed
/// as a fixture: this build must still read it, verify it, and find every event and field in its vocabulary.
@Suite struct ReleaseJournalTests {
    static var journalURL: URL {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!
            .appendingPathComponent("journal/local-sandbox-outage/\(Journal.fileName)")
    }

    @Test func theReleaseJournalVerifiesAndReadsInFull() throws {
        let verification = try JournalVerifier.verify(at: Self.journalURL)
        #expect(verification.isValid, "\(verification)")
        #expect(verification.eventCount == 38)
        #expect(verification.head == "46e1b7620f9342a3e434791902238613aa8c9baba93ac13091216c5b8cc04c42")
        let contents = try JournalReader.read(at: Self.journalURL)
        #expect(contents.events.count == 38)
        #expect(contents.verification == verification)
    }

    @Test func everyEventAndFieldIsInTheVocabulary() throws {
        let events = try JournalReader.read(at: Self.journalURL).events
        for event in events {
            let type = try #require(event.eventType, "\(event.type) (seq \(event.seq)) is not in JournalEventType")
            #expect(event.undeclaredFields == [], "\(event.type) writes fields JournalEventType does not declare")
            #expect((event.step != nil) == (type.stepMember != nil), "\(event.type): step member \(event.step ?? "absent")")
        }
        let types = events.compactMap(\.eventType)
        #expect(types.first == .runStarted && types.last == .runEnded)
        #expect(Set(types) == [.runStarted, .phaseStarted, .probeResult, .drillInjected, .stepStarted, .targetsResolved,
                               .stepEnded, .recoveryRunbookDone, .drillDetected, .drillFirstHealthy, .drillStable,
                               .rtoMeasured, .recoveryChecked, .runEnded])
    }

    @Test func theOwedWorkReaderFindsTheRunFinished() throws {
        let events = try JournalReader.read(at: Self.journalURL).events
        #expect(RunDirectory.pendingUndos(in: events).isEmpty)
        #expect(RunDirectory.injected(in: events))
        let phases = events.filter { $0.is(.phaseStarted) }.compactMap { $0.data["phase"]?.stringValue }
        #expect(phases == ["baseline", "disaster", "recovery", "verify", "rollbacks", "recovered-after-rollback"])
    }
}
