import Foundation

/// Checks a journal's hash chain and names the first line that was edited, removed, inserted, re-formatted or
/// torn (see `JournalProblem`).
///
/// The chain proves the order and content of every line *relative to the last one*. Whether the last line
/// itself, or lines after it, were changed can only be told against a head recorded elsewhere (the report
/// quotes it): pass it as `expectedHead`.
public enum JournalVerifier {
    /// Verifies `journal.jsonl` in the directory `location`, or the file `location`.
    public static func verify(at location: URL, expectedHead: String? = nil) throws(JournalError) -> VerificationResult {
        let file = JournalFileIO.journalFile(for: location)
        return verify(bytes: try JournalFileIO.readAll(path: file.path), expectedHead: expectedHead)
    }

    /// Verifies journal text already in memory.
    public static func verify(bytes: [UInt8], expectedHead: String? = nil) -> VerificationResult {
        JournalScanner.scan(bytes, collectEvents: false, expectedHead: expectedHead).result
    }
}
