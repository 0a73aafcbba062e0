import Foundation
import Testing
@testable import FiredrillCore

@Suite("Journal")
struct JournalTests {
    @Test func hundredEventsVerify() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        var last: JournalEvent?
        for i in 1...100 {
            last = try await journal.append(type: "probe.result", step: i % 2 == 0 ? "step-\(i)" : nil, data: JournalSamples.data(i))
        }
        let head = await journal.head
        try await journal.close()

        #expect(last?.seq == 100)
        #expect(head == last?.lineHash())
        let result = try JournalVerifier.verify(at: dir.url)
        #expect(result.isValid)
        #expect(result.eventCount == 100)
        #expect(result.head == head)
        #expect(result.description == "journal intact: 100 events, head \(head)")

        let contents = try JournalReader.read(at: dir.journalFile)
        #expect(contents.events.map(\.seq) == Array(1...100))
        #expect(contents.events.first?.prev == Journal.genesisHash)
        #expect(contents.events[41].data == JournalSamples.data(42))
        #expect(contents.events[41].step == "step-42")
        #expect(contents.events[40].step == nil)
        let monos = contents.events.map(\.mono)
        #expect(monos == monos.sorted())
        #expect(contents.events.allSatisfy { $0.time.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil })
    }

    @Test func genesisIsSHA256OfEmptyString() {
        #expect(JournalHex.sha256([]) == Journal.genesisHash)
    }

    @Test func eachEventIsOnDiskWhenAppendReturns() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        let reader = try FileHandle(forReadingFrom: dir.journalFile)
        defer { try? reader.close() }
        for i in 1...5 {
            let event = try await journal.append(type: "undo.intent", step: "pause-worker", data: ["pid": .number(Double(1000 + i))])
            let line = try #require(String(data: reader.readDataToEndOfFile(), encoding: .utf8))
            #expect(line == event.canonicalLine() + "\n")
        }
    }

    @Test func lineIsCanonicalJSONOfTheEvent() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url, clock: JournalSamples.frozenClock)
        let event = try await journal.append(type: "run.started", data: ["plan": "pg-failover", "dry": false])
        let text = try String(contentsOf: dir.journalFile, encoding: .utf8)
        #expect(text == #"{"data":{"dry":false,"plan":"pg-failover"},"mono":0,"prev":"\#(Journal.genesisHash)","seq":1,"time":"2025-12-31T23:59:59.123456Z","type":"run.started"}"# + "\n")
        #expect(try JSONValue.parse(event.canonicalLine())["seq"] == 1)
    }

    @Test func sameEventsAndClockGiveIdenticalFiles() async throws {
        var files: [Data] = []
        for _ in 0..<2 {
            let dir = try JournalTestDirectory()
            defer { dir.remove() }
            let journal = try Journal.create(at: dir.url, clock: JournalSamples.frozenClock)
            for i in 1...10 { try await journal.append(type: "probe.result", step: "s", data: JournalSamples.data(i)) }
            try await journal.close()
            files.append(try Data(contentsOf: dir.journalFile))
        }
        #expect(files[0] == files[1])
    }

    @Test func createRefusesToOverwrite() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        try await journal.append(type: "run.started")
        #expect(throws: JournalError.alreadyExists(path: dir.journalFile.path)) { try Journal.create(at: dir.url) }
        #expect(try JournalReader.read(at: dir.url).events.count == 1)
    }

    @Test func createMakesMissingDirectories() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let nested = dir.url.appendingPathComponent("runs/2026-01-01")
        let journal = try Journal.create(at: nested)
        try await journal.append(type: "run.started")
        #expect(FileManager.default.fileExists(atPath: nested.appendingPathComponent("journal.jsonl").path))
    }

    @Test func rejectsNonObjectDataAndAppendsAfterClose() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        await #expect(throws: JournalError.dataNotObject(type: "x")) { try await journal.append(type: "x", data: [1, 2]) }
        try await journal.close()
        await #expect(throws: JournalError.self) { try await journal.append(type: "x") }
        #expect(try JournalVerifier.verify(at: dir.url).eventCount == 0)
    }

    @Test func reopenContinuesSeqAndChain() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let first = try Journal.create(at: dir.url)
        for i in 1...10 { try await first.append(type: "step.started", data: JournalSamples.data(i)) }
        let oldHead = await first.head
        try await first.close()

        let second = try Journal.open(existing: dir.url)
        #expect(second.recoveredFrom?.isValid == true)
        #expect(await second.lastSequence == 10)
        let next = try await second.append(type: "recovery.started")
        #expect(next.seq == 11)
        #expect(next.prev == oldHead)
        try await second.close()

        let result = try JournalVerifier.verify(at: dir.journalFile)
        #expect(result.isValid)
        #expect(result.eventCount == 11)
    }

    @Test func reopenAfterTornWriteDiscardsTheFragmentAndRecordsIt() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        for i in 1...20 { try await journal.append(type: "probe.result", data: JournalSamples.data(i)) }
        try await journal.close()
        // What a kill in the middle of write(2) leaves: part of a line, no newline.
        let fragment = #"{"data":{"probe":"hea"#
        let handle = try FileHandle(forWritingTo: dir.journalFile)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(fragment.utf8))
        try handle.close()

        let torn = try JournalReader.read(at: dir.url)
        #expect(torn.hasTruncatedFinalLine)
        #expect(torn.events.count == 20)
        #expect(torn.verification.problem == JournalProblem(line: 21, seq: nil, kind: .truncatedFinalLine(bytes: fragment.utf8.count)))

        let reopened = try Journal.open(existing: dir.url)
        #expect(reopened.recoveredFrom?.problem?.kind == .truncatedFinalLine(bytes: fragment.utf8.count))
        let next = try await reopened.append(type: "recovery.started")
        try await reopened.close()
        #expect(next.seq == 22)

        let contents = try JournalReader.read(at: dir.url)
        #expect(contents.verification.isValid)
        #expect(contents.events.count == 22)
        let record = contents.events[20]
        #expect(record.type == Journal.tornLineDiscardedType)
        #expect(record.data["text"]?.stringValue == fragment)
        #expect(record.data["line"] == 21)
        #expect(record.data["bytes"]?.intValue == fragment.utf8.count)
    }

    @Test func reopenRefusesABrokenChain() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        var lines = JournalSamples.lines(count: 5)
        lines.remove(at: 2)
        try Data(JournalSamples.bytes(lines)).write(to: dir.journalFile)
        #expect {
            try Journal.open(existing: dir.url)
        } throws: { error in
            guard case .corrupt(_, let problem) = error as? JournalError else { return false }
            return problem.kind == .seqJump(from: 2, to: 4)
        }
    }

    @Test func reopenEmptyJournalStartsAtGenesis() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        try await Journal.create(at: dir.url).close()
        let journal = try Journal.open(existing: dir.url)
        #expect(await journal.head == Journal.genesisHash)
        #expect(try await journal.append(type: "run.started").seq == 1)
    }

    @Test func openMissingJournalSaysSo() {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-none-\(UUID().uuidString)")
        #expect(throws: JournalError.notFound(path: missing.appendingPathComponent("journal.jsonl").path)) {
            try Journal.open(existing: missing)
        }
    }

    @Test func concurrentAppendsKeepOneChain() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    for i in 0..<10 { try await journal.append(type: "probe.result", step: "w\(worker)", data: ["i": .number(Double(i))]) }
                }
            }
            try await group.waitForAll()
        }
        let result = try JournalVerifier.verify(at: dir.url)
        #expect(result.isValid)
        #expect(result.eventCount == 40)
    }

    @Test func rfc3339RoundTrips() {
        let micros: Int64 = 1_767_225_599_123_456
        let text = JournalClock.rfc3339(microseconds: micros)
        #expect(text == "2025-12-31T23:59:59.123456Z")
        #expect(JournalClock.microseconds(rfc3339: text) == micros)
        #expect(JournalClock.rfc3339(microseconds: 0) == "1970-01-01T00:00:00.000000Z")
        #expect(JournalClock.microseconds(rfc3339: "2025-12-31 23:59:59Z") == nil)
    }
}
