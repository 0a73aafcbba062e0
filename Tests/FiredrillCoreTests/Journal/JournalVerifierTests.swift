import Foundation
import Testing
@testable import FiredrillCore

@Suite("JournalVerifier")
struct JournalVerifierTests {
    static let sample = JournalSamples.lines(count: 100)

    private func verify(_ lines: [String], expectedHead: String? = nil) -> VerificationResult {
        JournalVerifier.verify(bytes: JournalSamples.bytes(lines), expectedHead: expectedHead)
    }

    @Test func intactJournalIsValid() {
        let result = verify(Self.sample)
        #expect(result.isValid)
        #expect(result.eventCount == 100)
        #expect(result.head == JournalHex.sha256(Array(Self.sample[99].utf8)))
    }

    @Test func emptyJournalIsValid() {
        let result = JournalVerifier.verify(bytes: [])
        #expect(result == VerificationResult(eventCount: 0, head: Journal.genesisHash, problem: nil))
    }

    @Test func everySingleByteFlipInEvent37IsPinnedOnLine37() {
        let original = JournalSamples.bytes(Self.sample)
        let start = Self.sample[0..<36].reduce(0) { $0 + $1.utf8.count + 1 }
        let length = Self.sample[36].utf8.count
        for offset in start..<(start + length) {
            for mask: UInt8 in [0x01, 0x04] {
                var bytes = original
                bytes[offset] ^= mask
                let result = JournalVerifier.verify(bytes: bytes)
                #expect(result.problem?.line == 37, "flip \(mask) at column \(offset - start + 1): \(result)")
                #expect(result.eventCount == 36)
            }
        }
    }

    @Test func editedValueIsReportedAsAlteredEvent() {
        var lines = Self.sample
        lines[36] = lines[36].replacingOccurrences(of: "event-37", with: "event-38")
        let result = verify(lines)
        #expect(result.problem == JournalProblem(line: 37, seq: 37, kind: .altered))
        #expect(result.problem?.description == "event 37 (line 37): altered after it was written: its hash does not match the prev recorded by line 38")
        #expect(result.head == JournalHex.sha256(Array(Self.sample[35].utf8)))
    }

    @Test func editedPrevBreaksTheChainAtThatEvent() throws {
        var lines = Self.sample
        var event = try decode(lines[16])
        event.prev = String(repeating: "0", count: 64)
        lines[16] = event.canonicalLine()
        let result = verify(lines)
        #expect(result.problem?.description == "event 17 (line 17): hash chain broken: prev does not match line 16")
        #expect(result.eventCount == 16)
    }

    @Test func deletedLineNamesTheGap() {
        var lines = Self.sample
        lines.remove(at: 49)
        let result = verify(lines)
        #expect(result.problem == JournalProblem(line: 50, seq: 51, kind: .seqJump(from: 49, to: 51)))
        #expect(result.problem?.description == "line 50: seq jumps from 49 to 51 (events are missing)")
        #expect(result.eventCount == 49)
    }

    @Test func deletedFirstLineIsReported() {
        let result = verify(Array(Self.sample.dropFirst()))
        #expect(result.problem?.description == "line 1: the first event has seq 2, expected 1 (events are missing)")
    }

    @Test func insertedLineIsReported() {
        var lines = Self.sample
        lines.insert(lines[9], at: 10)
        let result = verify(lines)
        #expect(result.problem == JournalProblem(line: 11, seq: 10, kind: .seqJump(from: 10, to: 10)))
    }

    @Test func forgedLineWithRenumberedSeqBreaksTheChain() throws {
        var lines = Self.sample
        var forged = try decode(lines[20])
        forged.data = ["note": "forged"]
        forged.prev = try decode(lines[20]).prev
        lines[20] = forged.canonicalLine()
        let result = verify(lines)
        #expect(result.problem == JournalProblem(line: 21, seq: 21, kind: .altered))
    }

    @Test func lineThatIsNotJSONIsNamed() {
        var lines = Self.sample
        lines[8] = "{\"seq\":9,"
        let result = verify(lines)
        #expect(result.problem?.line == 9)
        #expect(result.problem?.description.hasPrefix("line 9: not valid JSON: column 10:") == true)
    }

    @Test func reformattedLineIsNotCanonical() {
        var lines = Self.sample
        lines[4] = lines[4].replacingOccurrences(of: "\"seq\":5,", with: "\"seq\": 5,")
        #expect(verify(lines).problem == JournalProblem(line: 5, seq: 5, kind: .notCanonical))
    }

    @Test func wrongShapeIsNotAnEvent() {
        var lines = Self.sample
        lines[2] = #"{"hello":"world"}"#
        #expect(verify(lines).problem?.description == "line 3: not a journal event: unexpected member \"hello\"")
    }

    @Test func truncatedFinalLineLeavesAValidPrefix() {
        let lines = Array(Self.sample.prefix(10))
        let full = JournalSamples.bytes(lines)
        let lastLength = lines[9].utf8.count + 1
        for cut in 1..<lastLength {
            let bytes = Array(full.prefix(full.count - cut))
            let contents = JournalReader.read(bytes: bytes)
            if cut == 1 {
                #expect(contents.verification.problem == JournalProblem(line: 10, seq: nil, kind: .truncatedFinalLine(bytes: lastLength - 1)))
                #expect(contents.verification.problem?.description == "line 10: truncated final line (\(lastLength - 1) bytes without a newline; the writer stopped mid-line)")
            }
            #expect(contents.hasTruncatedFinalLine, "cut \(cut)")
            #expect(contents.events.count == 9)
            #expect(contents.verification.head == JournalHex.sha256(Array(lines[8].utf8)))
        }
    }

    @Test func changedLastLineIsCaughtOnlyAgainstTheRecordedHead() {
        var lines = Self.sample
        let head = verify(lines).head
        lines[99] = lines[99].replacingOccurrences(of: "event-100", with: "event-999")
        #expect(verify(lines).isValid)
        let result = verify(lines, expectedHead: head)
        #expect(result.problem?.line == 100)
        guard case .headMismatch(let expected, _)? = result.problem?.kind else {
            Issue.record("expected a head mismatch, got \(result)")
            return
        }
        #expect(expected == head)
        #expect(verify(Array(Self.sample.dropLast(3)), expectedHead: head).isValid == false)
    }

    @Test func verifiesFiftyThousandEventsQuickly() {
        let bytes = JournalSamples.bytes(JournalSamples.lines(count: 50_000))
        let clock = ContinuousClock()
        var result: VerificationResult?
        let elapsed = clock.measure { result = JournalVerifier.verify(bytes: bytes) }
        #expect(result?.isValid == true)
        #expect(result?.eventCount == 50_000)
        #if DEBUG
        let limit = Duration.seconds(15)
        #else
        let limit = Duration.milliseconds(500)
        #endif
        #expect(elapsed < limit, "verifying 50,000 events took \(elapsed)")
    }

    private func decode(_ line: String) throws -> JournalEvent {
        try JournalEvent(parsed: JSONValue.parse(line))
    }
}
