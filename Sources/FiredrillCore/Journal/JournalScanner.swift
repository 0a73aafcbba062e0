import Foundation

/// Walks the lines of a journal file, checking each one, and stops at the first problem. Shared by
/// `JournalReader`, `JournalVerifier` and `Journal.open(existing:)`.
///
/// Per line, in order: JSON syntax, event shape, canonical form, `seq` continuity, then the hash link to the
/// previous line. When a link fails, the next line decides who is to blame: if its `prev` matches the hash of
/// the current line, the current line is original and the *previous* line was altered; otherwise the current
/// line is reported.
struct JournalScanner {
    struct Outcome {
        /// The intact events, when collected.
        var events: [JournalEvent]
        var result: VerificationResult
        /// Bytes from the start of the file through the newline of the last intact line.
        var intactLength: Int
    }

    static func scan(_ bytes: UnsafeRawBufferPointer, collectEvents: Bool, expectedHead: String? = nil) -> Outcome {
        var scanner = JournalScanner(bytes: bytes, collectEvents: collectEvents)
        let problem = scanner.run(expectedHead: expectedHead)
        return Outcome(
            events: scanner.events,
            result: VerificationResult(eventCount: scanner.count, head: scanner.head, problem: problem),
            intactLength: scanner.intactLength
        )
    }

    static func scan(_ bytes: [UInt8], collectEvents: Bool, expectedHead: String? = nil) -> Outcome {
        bytes.withUnsafeBytes { scan($0, collectEvents: collectEvents, expectedHead: expectedHead) }
    }

    /// Scans without keeping the events: `visit` is called with each intact event, in order.
    static func scan(_ bytes: [UInt8], visit: (JournalEvent) -> Void) -> VerificationResult {
        withoutActuallyEscaping(visit) { visit in
            bytes.withUnsafeBytes { buffer in
                var scanner = JournalScanner(bytes: buffer, collectEvents: false)
                scanner.visit = visit
                let problem = scanner.run(expectedHead: nil)
                if let pending = scanner.pending { visit(pending) }
                return VerificationResult(eventCount: scanner.count, head: scanner.head, problem: problem)
            }
        }
    }

    private let bytes: UnsafeRawBufferPointer
    private let collectEvents: Bool
    /// Called with each intact event one event late, so that look-ahead can still take the last one back.
    private var visit: ((JournalEvent) -> Void)?
    private var pending: JournalEvent?
    private var events: [JournalEvent] = []
    private var count = 0
    private var lastSeq = 0
    private var head = Journal.genesisHash
    private var intactLength = 0
    /// `head` and `intactLength` before the last intact line, in case look-ahead blames that line.
    private var previousHead = Journal.genesisHash
    private var previousIntactLength = 0

    private init(bytes: UnsafeRawBufferPointer, collectEvents: Bool) {
        self.bytes = bytes
        self.collectEvents = collectEvents
    }

    /// End (index of the `\n`) of the line starting at `start`, or nil when the rest has no newline.
    private func lineEnd(from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let hit = memchr(base + start, 0x0A, bytes.count - start) else { return nil }
        return base.distance(to: UnsafeRawPointer(hit))
    }

    private mutating func run(expectedHead: String?) -> JournalProblem? {
        var start = 0
        var lineNumber = 0
        while start < bytes.count {
            guard let end = lineEnd(from: start) else {
                return JournalProblem(line: lineNumber + 1, seq: nil, kind: .truncatedFinalLine(bytes: bytes.count - start))
            }
            lineNumber += 1
            let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            if let problem = check(line, lineNumber: lineNumber, nextStart: end + 1) { return problem }
            start = end + 1
            previousIntactLength = intactLength
            intactLength = start
        }
        if let expectedHead, expectedHead != head {
            return JournalProblem(line: lineNumber, seq: lineNumber == 0 ? nil : lastSeq,
                                  kind: .headMismatch(expected: expectedHead, actual: head))
        }
        return nil
    }

    private mutating func check(_ line: UnsafeRawBufferPointer, lineNumber: Int, nextStart: Int) -> JournalProblem? {
        guard !line.isEmpty else { return JournalProblem(line: lineNumber, seq: nil, kind: .invalidJSON("empty line")) }
        let value: JSONValue
        do {
            value = try JSONValue.parse(utf8: line)
        } catch {
            return JournalProblem(line: lineNumber, seq: nil, kind: .invalidJSON("column \(error.offset + 1): \(error.message)"))
        }
        let event: JournalEvent
        do {
            event = try JournalEvent(parsed: value)
        } catch {
            return JournalProblem(line: lineNumber, seq: nil, kind: .invalidEvent(error.message))
        }
        let canonical = event.canonicalLineBytes()
        let same = canonical.count == line.count
            && canonical.withUnsafeBytes { memcmp($0.baseAddress!, line.baseAddress!, line.count) == 0 }
        guard same else { return JournalProblem(line: lineNumber, seq: event.seq, kind: .notCanonical) }
        guard event.seq == lastSeq + 1 else {
            return JournalProblem(line: lineNumber, seq: event.seq, kind: .seqJump(from: lastSeq, to: event.seq))
        }
        let hash = JournalHex.sha256(line)
        guard event.prev == head else {
            // The last line cannot be checked against a next one; a signed seal or checkpoint vouches for its own
            // `prev`, so then the line before it is the one that changed.
            let vouched = lineEnd(from: nextStart) == nil && Self.signatureHolds(event)
            if lineNumber > 1, vouched || nextPrev(from: nextStart) == hash {
                let blamed = JournalProblem(line: lineNumber - 1, seq: lastSeq, kind: .altered)
                count -= 1
                head = previousHead
                intactLength = previousIntactLength
                if collectEvents { events.removeLast() }
                pending = nil
                return blamed
            }
            return JournalProblem(line: lineNumber, seq: event.seq, kind: .chainBroken)
        }
        previousHead = head
        head = hash
        lastSeq = event.seq
        count += 1
        if collectEvents { events.append(event) }
        if let visit {
            if let pending { visit(pending) }
            pending = event
        }
        return nil
    }

    /// Whether `event` is a checkpoint or seal whose signature holds over its own line (including its `prev`).
    static func signatureHolds(_ event: JournalEvent) -> Bool {
        guard event.is(.journalSealed) || event.is(.journalCheckpoint),
              let signature = event.data["signature"]?.stringValue,
              let key = event.data["public-key"]?.stringValue.flatMap(JournalPublicKey.init(base64:)) else { return false }
        return key.verifies(signature, of: JournalSignature.message(for: event))
    }

    /// The `prev` of the complete line starting at `start`, if there is one and it has that member.
    private func nextPrev(from start: Int) -> String? {
        guard let end = lineEnd(from: start) else { return nil }
        guard let value = try? JSONValue.parse(utf8: UnsafeRawBufferPointer(rebasing: bytes[start..<end])) else { return nil }
        return value["prev"]?.stringValue
    }
}
