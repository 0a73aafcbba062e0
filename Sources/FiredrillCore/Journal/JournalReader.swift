import Foundation

/// Reads a journal: every intact event, plus what (if anything) is wrong after them.
///
/// A torn final line (the runner was killed mid-write) is expected after a crash: it is reported as
/// `truncatedFinalLine` and the events before it are returned as usual. Any other problem stops the reading
/// there; `verification.problem` says what and where.
public enum JournalReader {
    /// Reads `journal.jsonl` in the directory `location`, or the file `location`.
    public static func read(at location: URL) throws(JournalError) -> JournalContents {
        let file = JournalFileIO.journalFile(for: location)
        return read(bytes: try JournalFileIO.readAll(path: file.path))
    }

    /// Reads journal text already in memory.
    public static func read(bytes: [UInt8]) -> JournalContents {
        let outcome = JournalScanner.scan(bytes, collectEvents: true)
        return JournalContents(events: outcome.events, verification: outcome.result)
    }

    /// Reads `journal.jsonl` in the directory `location` (or the file `location`) without keeping its events:
    /// `visit` sees each intact event in order. For checks over long journals (`verify`).
    public static func forEachEvent(at location: URL, _ visit: (JournalEvent) -> Void) throws(JournalError) -> VerificationResult {
        let file = JournalFileIO.journalFile(for: location)
        return JournalScanner.scan(try JournalFileIO.readAll(path: file.path), visit: visit)
    }
}
