import Foundation
import Testing
@testable import FiredrillCore

/// A signed journal against the tampering trials of issue 12: a byte edited in each event, the last event and the
/// last five removed, an edit with the hash chain recomputed, a seal signed by another key. Each is caught and
/// named; the untouched journal verifies against its trusted key.
@Suite struct SignedJournalTests {
    /// A signed run's journal: `run.started`, 40 probe results (checkpoints every 10 events), `run.ended`, the seal.
    static func signedJournal(key: JournalSigningKey, in dir: JournalTestDirectory) async throws -> [String] {
        let journal = try Journal.create(at: dir.url, signing: JournalSigning(key: key, everyEvents: 10, everySeconds: 600))
        try await journal.append(type: "run.started", data: ["plan": "trial"])
        for i in 1...40 { try await journal.append(type: "probe.result", step: "health", data: JournalSamples.data(i)) }
        try await journal.append(type: "run.ended", data: ["ending": "passed", "reason": "all met"])
        try await journal.seal(by: "run")
        try await journal.close()
        return try String(contentsOf: dir.journalFile, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func audit(_ lines: [String], trust: JournalTrust? = nil) -> JournalAudit {
        let bytes = Array(lines.map { $0 + "\n" }.joined().utf8)
        return JournalAuditor.audit(JournalReader.read(bytes: bytes), trust: trust)
    }

    static func trust(_ key: JournalSigningKey) throws -> JournalTrust {
        var trust = JournalTrust()
        try trust.add(key.publicKey.fingerprint)
        return trust
    }

    /// Rewrites the chain after `lines` were edited: every `prev`, and the `head` of checkpoints and seals, as an
    /// attacker without the key would. The signatures are left as they were.
    static func rechain(_ lines: [String]) throws -> [String] {
        var prev = Journal.genesisHash
        var out: [String] = []
        for line in lines {
            var event = try JournalEvent(parsed: try JSONValue.parse(line))
            event.prev = prev
            if event.is(.journalCheckpoint) || event.is(.journalSealed) { event.data = event.data.setting("head", .string(prev)) }
            out.append(event.canonicalLine())
            prev = event.lineHash()
        }
        return out
    }

    @Test func theUntouchedSignedJournalVerifiesWithCheckpoints() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let lines = try await Self.signedJournal(key: key, in: dir)
        let events = JournalReader.read(bytes: Array(lines.map { $0 + "\n" }.joined().utf8)).events
        #expect(events.first?.data["signing-key"]?.stringValue == key.publicKey.fingerprint)
        #expect(events.filter { $0.is(.journalCheckpoint) }.count == 4)
        #expect(events.last?.is(.journalSealed) == true)
        let audit = Self.audit(lines, trust: try Self.trust(key))
        #expect(audit.isClean, "\(audit)")
        #expect(audit.integrity == .sealed)
        #expect(audit.headline == "sealed: \(lines.count) events")
        #expect(audit.signing == .signed(fingerprint: key.publicKey.fingerprint, trusted: true))
        #expect(audit.signedThrough == lines.count - 1)
    }

    @Test func oneByteEditedInEachEventIsNamed() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let lines = try await Self.signedJournal(key: key, in: dir)
        for index in lines.indices {
            var edited = lines
            // The last digit of the seconds in `time`: the line stays valid, canonical JSON.
            var bytes = Array(edited[index].utf8)
            let timeKey = Array(#""time":""#.utf8)
            let start = try #require((0...(bytes.count - timeKey.count)).first { Array(bytes[$0..<($0 + timeKey.count)]) == timeKey })
            let digit = start + timeKey.count + 18  // 2026-11-29T12:00:0[5].123456Z
            bytes[digit] = bytes[digit] == UInt8(ascii: "1") ? UInt8(ascii: "2") : UInt8(ascii: "1")
            edited[index] = String(decoding: bytes, as: UTF8.self)
            let audit = Self.audit(edited, trust: try Self.trust(key))
            #expect(audit.integrity == .tampered, "event \(index + 1): \(audit.headline)")
            #expect(audit.headline.hasPrefix("TAMPERED: edited event \(index + 1)"), "event \(index + 1): \(audit.headline)")
        }
    }

    @Test func removingTheLastEventShowsTheLostTail() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let lines = try await Self.signedJournal(key: key, in: dir)
        let audit = Self.audit(Array(lines.dropLast()), trust: try Self.trust(key))
        #expect(audit.integrity == .unfinished)
        #expect(audit.headline.hasPrefix("unfinished or truncated after event \(lines.count - 1) (no seal and no later checkpoint"), "\(audit.headline)")
        #expect(audit.lostTail, "run.ended is there without its seal: the tail was lost, the runner did not die")
        #expect(!audit.isClean)
    }

    @Test func removingTheLastFiveEventsIsTruncation() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let lines = try await Self.signedJournal(key: key, in: dir)
        let cut = Array(lines.dropLast(5))
        let audit = Self.audit(cut, trust: try Self.trust(key))
        #expect(audit.integrity == .unfinished)
        #expect(audit.headline.hasPrefix("unfinished or truncated after event \(cut.count)"), "\(audit.headline)")
        // The last checkpoint left proves what comes before it.
        let lastCheckpoint = try #require(cut.lastIndex { $0.contains(#""type":"journal.checkpoint""#) })
        #expect(audit.signedThrough == lastCheckpoint)
        #expect(audit.headline.contains("signatures prove events 1…\(lastCheckpoint)"))
        #expect(!audit.isClean)
    }

    @Test func anEditWithTheChainRecomputedIsCaughtBySignature() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let lines = try await Self.signedJournal(key: key, in: dir)
        // The achieved figure of event 25 is rewritten, then every hash after it.
        var edited = lines
        edited[24] = edited[24].replacingOccurrences(of: #""status":200"#, with: #""status":201"#)
        #expect(edited[24] != lines[24])
        let rechained = try Self.rechain(edited)
        #expect(JournalVerifier.verify(bytes: Array(rechained.map { $0 + "\n" }.joined().utf8)).isValid, "the chain alone no longer tells")
        let audit = Self.audit(rechained, trust: try Self.trust(key))
        #expect(audit.integrity == .tampered)
        // Checkpoints sit at events 11, 22, 33, 44: event 25 lies between the last that holds and the first that fails.
        #expect(audit.headline.hasPrefix("TAMPERED: edited event 33, or an event in 22…32 with the hash chain recomputed"), "\(audit.headline)")
    }

    @Test func aSealSignedByAnotherKeyIsAnUnknownKey() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let other = JournalSigningKey.generate()
        let lines = try await Self.signedJournal(key: key, in: dir)
        let seal = try JournalEvent(parsed: try JSONValue.parse(lines[lines.count - 1]))
        var forged = seal
        forged.data = seal.data.setting("key", .string(other.publicKey.fingerprint))
            .setting("public-key", .string(other.publicKey.base64)).setting("signature", .string(""))
        forged.data = forged.data.setting("signature", .string(other.sign(JournalSignature.message(for: forged))))
        var swapped = Array(lines.dropLast())
        swapped.append(forged.canonicalLine())

        let audit = Self.audit(swapped, trust: try Self.trust(key))
        #expect(audit.integrity == .tampered)
        #expect(audit.headline.contains("signed by an unknown key"), "\(audit.headline)")
        #expect(audit.headline.contains(other.publicKey.fingerprint))
        // Without trusted keys too: the seal's key is not the one the run named.
        #expect(Self.audit(swapped).integrity == .tampered)
    }

    @Test func aJournalSignedThroughoutByAnUntrustedKeyIsNotClean() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let attacker = JournalSigningKey.generate()
        let lines = try await Self.signedJournal(key: attacker, in: dir)
        let audit = Self.audit(lines, trust: try Self.trust(JournalSigningKey.generate()))
        #expect(audit.integrity == .sealed)
        #expect(!audit.isClean)
        #expect(audit.signingText == "signed by an unknown key \(attacker.publicKey.fingerprint)")
    }

    /// Something still running after the run ended (a proxy left up by `rollbacks: never`) cannot write past the
    /// seal and make a finished journal read as truncated.
    @Test func nothingIsWrittenAfterTheSeal() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        try await journal.append(type: "run.started", data: ["plan": "trial"])
        try await journal.append(type: "run.ended", data: ["ending": "passed"])
        try await journal.seal(by: "run")
        await #expect(throws: JournalError.self) { try await journal.append(type: "probe.result", step: "late", data: [:]) }
        await #expect(throws: JournalError.self) { try await journal.seal(by: "run") }
        try await journal.close()
        let lines = try String(contentsOf: dir.journalFile, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 3)
        #expect(Self.audit(lines).integrity == .sealed)
    }

    @Test func anUnsignedJournalIsSealedAndSaysUnsigned() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url)
        try await journal.append(type: "run.started", data: ["plan": "trial"])
        try await journal.append(type: "run.ended", data: ["ending": "passed"])
        try await journal.seal(by: "run")
        try await journal.close()
        let lines = try String(contentsOf: dir.journalFile, encoding: .utf8).split(separator: "\n").map(String.init)
        let audit = Self.audit(lines)
        #expect(audit.integrity == .sealed && audit.signingText == "unsigned" && audit.isClean)
        #expect(!lines.contains { $0.contains("journal.checkpoint") }, "an unsigned journal writes no checkpoints")
        let cut = Self.audit(Array(lines.dropLast()))
        #expect(cut.headline == "unfinished or truncated after event 2 (no seal)")
    }

    @Test func aCheckpointIsWrittenAfterTheIntervalWithoutNewEvents() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let journal = try Journal.create(at: dir.url, signing: JournalSigning(key: .generate(), everyEvents: 1000, everySeconds: 0.2))
        try await journal.append(type: "run.started", data: ["plan": "trial"])
        try await journal.append(type: "probe.result", data: JournalSamples.data(1))
        var found = false
        for _ in 0..<300 where !found {
            try await Task.sleep(for: .milliseconds(50))
            found = (try? String(contentsOf: dir.journalFile, encoding: .utf8))?.contains("journal.checkpoint") == true
        }
        try await journal.close()
        #expect(found, "no checkpoint within 15 s of a 0.2 s interval")
        let contents = try JournalReader.read(at: dir.journalFile)
        let audit = JournalAuditor.audit(contents)
        #expect(audit.integrity == .unfinished)
        #expect(audit.signedThrough == 2)
        #expect(!audit.lostTail)
    }

    @Test func keyFilesRoundTripAndThePrivateKeyIsPrivate() throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let paths = try key.write(to: dir.url.path)
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: paths.privatePath)[.posixPermissions] as? Int)
        #expect(mode & 0o777 == 0o600)
        #expect(try JournalSigningKey.load(path: paths.privatePath).publicKey == key.publicKey)
        var trust = JournalTrust()
        try trust.add(paths.publicPath)
        #expect(trust.trusts(key.publicKey.fingerprint))
        #expect(throws: JournalKeyError.self) { try key.write(to: dir.url.path) }
        _ = chmod(paths.privatePath, 0o644)
        #expect(throws: JournalKeyError.self) { try JournalSigningKey.load(path: paths.privatePath) }
    }
}

extension SignedJournalTests {
    /// `recover` without the key appends an unsigned tail to a signed run: reported always, failed against trusted keys.
    @Test func anUnsignedRecoverTailIsNamedAndFailsAgainstTrustedKeys() async throws {
        let dir = try JournalTestDirectory()
        defer { dir.remove() }
        let key = JournalSigningKey.generate()
        let journal = try Journal.create(at: dir.url, signing: JournalSigning(key: key, everyEvents: 1000, everySeconds: 600))
        try await journal.append(type: "run.started", data: ["plan": "trial"])
        try await journal.append(type: "run.ended", data: ["ending": "passed"])
        try await journal.seal(by: "run")
        try await journal.close()
        let reopened = try Journal.open(existing: dir.url)
        try await reopened.append(type: "recover.started", data: ["initiator": "ops"])
        try await reopened.append(type: "recover.ended", data: ["failures": 0])
        try await reopened.seal(by: "recover")
        try await reopened.close()
        let contents = try JournalReader.read(at: dir.journalFile)
        let plain = JournalAuditor.audit(contents)
        #expect(plain.integrity == .sealed && plain.isClean)
        #expect(plain.unsignedAfter == 3, "the signed seal at event 3 is the last signed line")
        #expect(plain.details.contains("events 4…6 are not signed: they were appended (by `firedrill recover`) without the signing key"), "\(plain.details)")
        let trusted = JournalAuditor.audit(contents, trust: try Self.trust(key))
        #expect(!trusted.isClean)
    }
}
