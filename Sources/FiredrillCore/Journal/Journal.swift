import Foundation

/// The run's append-only, hash-chained, crash-safe record: `journal.jsonl` (format: see `JournalEvent`).
///
/// `append` writes the whole line with one `write(2)` on a file opened with `O_APPEND`, then `fsync(2)`s it
/// before returning, so a caller that appends *before* acting (an undo intent before the fault) can rely on the
/// record surviving a crash of this process or the machine. If a write or fsync fails, the journal refuses
/// further appends: the file may no longer hold what was appended.
///
/// The actor runs on its own `BlockingIOExecutor`, so the blocking fsync never stalls the cooperative pool.
public actor Journal {
    public static let fileName = "journal.jsonl"
    /// The `prev` of the first event: SHA-256 of the empty string.
    public static let genesisHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    /// Type of the event `open(existing:)` appends after cutting off a torn final line; its data holds
    /// `line` (the line number the fragment occupied), `bytes` (its length) and `text` (the fragment, up to
    /// 4 KiB, with invalid UTF-8 replaced).
    public static let tornLineDiscardedType = JournalEventType.journalTornLineDiscarded.rawValue

    public nonisolated let fileURL: URL
    /// What `open(existing:)` found before continuing the journal; nil for a journal made by `create`.
    public nonisolated let recoveredFrom: VerificationResult?

    private let executor = BlockingIOExecutor(label: "firedrill.journal")
    private let clock: JournalClock
    private let monoOrigin: Double
    private var fd: Int32
    private var lastSeq: Int
    private var headHash: String
    private var fileSize: Int
    private var brokenReason: String?
    /// Signs checkpoints and the seal; nil for an unsigned journal (which still gets an unsigned seal).
    private let signer: JournalSigningKey?
    private let everyEvents: Int
    private let everySeconds: Double
    /// Events written since the last checkpoint or seal.
    private var uncovered = 0
    /// Writes a checkpoint `everySeconds` after the first uncovered event.
    private var checkpointTimer: Task<Void, Never>?
    /// Set once the seal is written: nothing may follow it (a fault left running by `rollbacks: never`, say a
    /// proxy's counters, must not write after the seal and make the journal read as truncated).
    private var sealed = false

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    private init(fileURL: URL, fd: Int32, clock: JournalClock, monoOrigin: Double, lastSeq: Int, head: String,
                 fileSize: Int, recoveredFrom: VerificationResult?, signing: JournalSigning) {
        self.signer = signing.key
        self.everyEvents = max(1, signing.everyEvents)
        self.everySeconds = max(0.05, signing.everySeconds)
        self.fileURL = fileURL
        self.fd = fd
        self.clock = clock
        self.monoOrigin = monoOrigin
        self.lastSeq = lastSeq
        self.headHash = head
        self.fileSize = fileSize
        self.recoveredFrom = recoveredFrom
    }

    deinit {
        checkpointTimer?.cancel()
        if fd >= 0 { _ = Foundation.close(fd) }
    }

    /// Creates `journal.jsonl` in `directory` (creating the directory if needed). Never overwrites: an existing
    /// journal is an error. `mono` counts from this call.
    public static func create(at directory: URL, clock: JournalClock = .system,
                              signing: JournalSigning = .unsigned) throws(JournalError) -> Journal {
        let file = directory.appendingPathComponent(fileName)
        try JournalFileIO.makeDirectories(directory.path)
        let fd = try JournalFileIO.open(file.path, flags: O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, mode: 0o644)
        do {
            try JournalFileIO.syncDirectory(of: file)
        } catch {
            _ = Foundation.close(fd)
            throw error
        }
        return Journal(fileURL: file, fd: fd, clock: clock, monoOrigin: clock.monotonicSeconds(), lastSeq: 0,
                       head: genesisHash, fileSize: 0, recoveredFrom: nil, signing: signing)
    }

    /// Continues an existing journal (in the directory `location`, or the file `location`), for example after
    /// the runner was killed: reads it to the last intact line and continues `seq` and the chain from there.
    ///
    /// A torn final line is cut off (the file is truncated to the intact prefix and synced) and a
    /// `journal.torn-line-discarded` event records what was removed. Any other problem throws `corrupt`: a
    /// broken chain is evidence, and is not extended.
    ///
    /// `mono` continues from the last event, advanced by the wall-clock time elapsed since it (the monotonic
    /// origin of the earlier process is not recoverable).
    public static func open(existing location: URL, clock: JournalClock = .system,
                            signing: JournalSigning = .unsigned) throws(JournalError) -> Journal {
        let file = JournalFileIO.journalFile(for: location)
        let fd = try JournalFileIO.open(file.path, flags: O_RDWR | O_APPEND | O_CLOEXEC)
        let outcome: JournalScanner.Outcome
        let bytes: [UInt8]
        do throws(JournalError) {
            bytes = try JournalFileIO.readAll(fd, path: file.path)
            outcome = JournalScanner.scan(bytes, collectEvents: false)
            if let problem = outcome.result.problem {
                guard case .truncatedFinalLine = problem.kind else { throw JournalError.corrupt(path: file.path, problem: problem) }
                try JournalFileIO.truncate(fd, to: outcome.intactLength, path: file.path)
                try JournalFileIO.fsync(fd, path: file.path)
            }
        } catch {
            _ = Foundation.close(fd)
            throw error
        }

        var monoNow = 0.0
        if let last = lastEvent(in: bytes[..<outcome.intactLength]) {
            monoNow = last.mono
            if let lastWall = JournalClock.microseconds(rfc3339: last.time) {
                monoNow += Double(max(0, clock.wallMicroseconds() - lastWall)) / 1e6
            }
        }
        let monoOrigin = clock.monotonicSeconds() - monoNow
        var lastSeq = outcome.result.eventCount
        var head = outcome.result.head
        var fileSize = outcome.intactLength
        if let problem = outcome.result.problem, case .truncatedFinalLine(let count) = problem.kind {
            let fragment = bytes[outcome.intactLength...].prefix(4096)
            let data: JSONValue = [
                "line": .number(Double(problem.line)),
                "bytes": .number(Double(count)),
                "text": .string(String(decoding: fragment, as: UTF8.self)),
            ]
            let event = makeEvent(clock: clock, monoOrigin: monoOrigin, seq: lastSeq + 1, prev: head,
                                  type: tornLineDiscardedType, step: nil, data: data)
            do {
                let written = try write(event, fd: fd, path: file.path, fileSize: fileSize)
                lastSeq = event.seq
                head = written.hash
                fileSize += written.length
            } catch {
                _ = Foundation.close(fd)
                throw error.error
            }
        }
        return Journal(fileURL: file, fd: fd, clock: clock, monoOrigin: monoOrigin, lastSeq: lastSeq, head: head,
                       fileSize: fileSize, recoveredFrom: outcome.result, signing: signing)
    }

    /// The event on the last line of `intact` (which ends with a newline), if there is one.
    private static func lastEvent(in intact: ArraySlice<UInt8>) -> JournalEvent? {
        guard intact.count > 1 else { return nil }
        let end = intact.endIndex - 1
        let start = intact[..<end].lastIndex(of: 0x0A).map { $0 + 1 } ?? intact.startIndex
        let value = intact[start..<end].withUnsafeBytes { try? JSONValue.parse(utf8: $0) }
        return value.flatMap { try? JournalEvent(parsed: $0) }
    }

    /// Hex SHA-256 of the last line: the `prev` of the next event (`genesisHash` while empty).
    public var head: String { headHash }

    /// `seq` of the last event; 0 while empty.
    public var lastSequence: Int { lastSeq }

    /// Appends one event and returns it once it is on disk (written and fsynced).
    @discardableResult
    public func append(type: String, step: String? = nil, data: JSONValue = [:]) throws(JournalError) -> JournalEvent {
        try appendLine(type: type, step: step, data: data)
    }

    /// Whether checkpoints and the seal are signed.
    public var isSigned: Bool { signer != nil }

    /// Whether the seal is written (nothing more can be).
    public var isSealed: Bool { sealed }

    /// Appends the seal: `journal.sealed`, with the head hash and event count it covers, signed when the journal
    /// has a key. Written after `run.ended` (and after `recover.ended`); a journal whose last event is not a seal
    /// is unfinished or truncated.
    @discardableResult
    public func seal(by writer: String) throws(JournalError) -> JournalEvent {
        guard fd >= 0, brokenReason == nil else { throw .unusable(path: fileURL.path, reason: brokenReason ?? "it was closed") }
        guard !sealed else { throw .unusable(path: fileURL.path, reason: "it is sealed already") }
        checkpointTimer?.cancel()
        checkpointTimer = nil
        var data = signedData(.seal)
        data["by"] = .string(writer)
        let event = try appendRaw(type: JournalEventType.journalSealed.rawValue, step: nil, data: .object(data))
        sealed = true
        return event
    }

    /// The members of a checkpoint or seal: what it covers, and the signature when the journal is signed.
    private func signedData(_ kind: JournalSignature.Kind) -> [String: JSONValue] {
        var data: [String: JSONValue] = ["count": .number(Double(lastSeq)), "head": .string(headHash)]
        if let signer {
            let key = signer.publicKey
            data["key"] = .string(key.fingerprint)
            data["public-key"] = .string(key.base64)
            data["signature"] = .string("")  // filled in by `appendRaw` once the event's time is known
        } else {
            data["key"] = .null
            data["signature"] = .null
        }
        if kind == .checkpoint {
            data["every-events"] = .number(Double(everyEvents))
            data["every-seconds"] = .number(everySeconds)
        }
        return data
    }

    /// Writes a signed checkpoint when events are uncovered (called by the timer).
    private func checkpointIfDue() {
        checkpointTimer = nil
        guard signer != nil, !sealed, uncovered > 0, fd >= 0, brokenReason == nil else { return }
        _ = try? appendRaw(type: JournalEventType.journalCheckpoint.rawValue, step: nil, data: .object(signedData(.checkpoint)))
    }

    /// Closes the file. Later appends throw; closing twice is harmless.
    public func close() throws(JournalError) {
        checkpointTimer?.cancel()
        checkpointTimer = nil
        guard fd >= 0 else { return }
        let result = Foundation.close(fd)
        let code = errno
        fd = -1
        brokenReason = brokenReason ?? "it was closed"
        if result != 0 { throw .io(operation: "close", path: fileURL.path, errno: code) }
    }

    private func appendLine(type: String, step: String?, data: JSONValue) throws(JournalError) -> JournalEvent {
        guard fd >= 0, brokenReason == nil else { throw .unusable(path: fileURL.path, reason: brokenReason ?? "it was closed") }
        guard !sealed else { throw .unusable(path: fileURL.path, reason: "it is sealed: nothing is written after the seal") }
        guard case .object(var fields) = data else { throw .dataNotObject(type: type) }
        if lastSeq == 0, let signer {
            // The first event names the key that signs this journal.
            fields["signing-key"] = .string(signer.publicKey.fingerprint)
            fields["signing-public-key"] = .string(signer.publicKey.base64)
        }
        let event = try appendRaw(type: type, step: step, data: .object(fields))
        guard signer != nil else { return event }
        if uncovered >= everyEvents {
            // Part of the append path: when this returns, at most `everyEvents` events are unsigned.
            _ = try? appendRaw(type: JournalEventType.journalCheckpoint.rawValue, step: nil, data: .object(signedData(.checkpoint)))
        } else if checkpointTimer == nil {
            let delay = everySeconds
            checkpointTimer = Task { [weak self] in
                try? await Task.sleep(for: .seconds(delay))
                guard !Task.isCancelled else { return }
                await self?.checkpointIfDue()
            }
        }
        return event
    }

    private func appendRaw(type: String, step: String?, data: JSONValue) throws(JournalError) -> JournalEvent {
        var event = Self.makeEvent(clock: clock, monoOrigin: monoOrigin, seq: lastSeq + 1, prev: headHash,
                                   type: type, step: step, data: data)
        if let signer, case .string = data["signature"] {
            // A checkpoint or seal signs its own line (with an empty signature), and through `prev` the chain.
            event.data = data.setting("signature", .string(signer.sign(JournalSignature.message(for: event))))
        }
        do {
            let written = try Self.write(event, fd: fd, path: fileURL.path, fileSize: fileSize)
            fileSize += written.length
            headHash = written.hash
            lastSeq = event.seq
            if type == JournalEventType.journalCheckpoint.rawValue || type == JournalEventType.journalSealed.rawValue {
                uncovered = 0
            } else {
                uncovered += 1
            }
            return event
        } catch {
            if let reason = error.breaksJournal { brokenReason = reason }
            throw error.error
        }
    }

    private static func makeEvent(clock: JournalClock, monoOrigin: Double, seq: Int, prev: String, type: String,
                                  step: String?, data: JSONValue) -> JournalEvent {
        let micros = clock.wallMicroseconds()
        let mono = max(0, ((clock.monotonicSeconds() - monoOrigin) * 1e6).rounded() / 1e6)
        return JournalEvent(seq: seq, time: JournalClock.rfc3339(microseconds: micros), mono: mono, type: type,
                            step: step, data: data, prev: prev)
    }

    /// A failed `write`: the error, and why the journal must not be appended to any more (nil when the file
    /// was restored to its previous length).
    private struct WriteFailure: Error {
        let error: JournalError
        let breaksJournal: String?
    }

    /// Writes `event`'s line with one `write(2)` and fsyncs it; on a failed write, cuts the file back to
    /// `fileSize`. Returns the line's hash and its length including the newline.
    private static func write(_ event: JournalEvent, fd: Int32, path: String,
                              fileSize: Int) throws(WriteFailure) -> (hash: String, length: Int) {
        var line = event.canonicalLineBytes()
        let hash = JournalHex.sha256(line)
        line.append(0x0A)
        do {
            try JournalFileIO.writeAll(fd, line, path: path)
        } catch {
            do {
                try JournalFileIO.truncate(fd, to: fileSize, path: path)
            } catch let truncateError {
                throw WriteFailure(error: error, breaksJournal: "a write failed and the partial line could not be removed (\(truncateError))")
            }
            throw WriteFailure(error: error, breaksJournal: nil)
        }
        do {
            try JournalFileIO.fsync(fd, path: path)
        } catch {
            throw WriteFailure(error: error, breaksJournal: "fsync failed, so earlier lines may not be on disk (\(error))")
        }
        return (hash, line.count)
    }
}
