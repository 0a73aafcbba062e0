import Foundation

/// One line of an anchors file for a sign-off or annotation log (`sign`/`annotate --anchor-file`): how many
/// entries the log had and the hash of its last line when an entry was added, kept where the run directory's
/// owner cannot rewrite it. It catches what the log cannot show by itself: its last entries removed.
///
/// The line is canonical JSON: `run-id` (the run directory's name), `run-directory`, `log` (`signoffs.jsonl` or
/// `annotations.jsonl`), `entries`, `head` (hex SHA-256 of the last entry's line) and `time`. The `log` member
/// tells it from a journal's anchor (`JournalAnchor`) in the same file.
public struct EvidenceAnchor: Sendable, Equatable {
    public var runID: String
    public var runDirectory: String
    public var log: String
    public var entries: Int
    public var head: String
    public var time: String

    public init(runDirectory: String, log: String, entries: Int, head: String,
                time: String = JournalClock.rfc3339(microseconds: JournalClock.system.wallMicroseconds())) {
        self.runDirectory = runDirectory
        self.runID = (runDirectory as NSString).lastPathComponent
        self.log = log
        self.entries = entries
        self.head = head
        self.time = time
    }

    init?(_ value: JSONValue) {
        guard let log = value["log"]?.stringValue, let runID = value["run-id"]?.stringValue,
              let entries = value["entries"]?.intValue, entries >= 1, let head = value["head"]?.stringValue else { return nil }
        self.runID = runID
        self.runDirectory = value["run-directory"]?.stringValue ?? ""
        self.log = log
        self.entries = entries
        self.head = head
        self.time = value["time"]?.stringValue ?? ""
    }

    var json: JSONValue {
        [
            "run-id": .string(runID), "run-directory": .string(runDirectory), "log": .string(log),
            "entries": .number(Double(entries)), "head": .string(head), "time": .string(time),
        ]
    }

    /// Appends this anchor as one line to `path` (`O_APPEND`, one `write(2)`, fsynced).
    public func append(to path: String) throws {
        try JournalFileIO.appendLine(json.canonicalJSON(), to: path, what: "the anchor file \(path)")
    }

    /// Every anchor of a sign-off or annotation log in `path` for the run `runID`, in file order.
    public static func read(path: String, runID: String) throws -> [EvidenceAnchor] {
        try JournalAnchor.lines(path).compactMap(EvidenceAnchor.init).filter { $0.runID == runID }
    }

    /// What the log says against this anchor: nil when it holds (it still has the anchored entry, with the
    /// anchored hash), else the mismatch, worded as removal or tampering.
    public func mismatch(with check: EvidenceLog.Check) -> String? {
        let count = check.lineHashes.count
        guard count >= entries else {
            return "truncated: the anchor (\(time)) records \(entries) entries in \(log) ending at head \(head); the file has only \(count)"
        }
        guard check.lineHashes[entries - 1] == head else {
            return "TAMPERED: the anchor (\(time)) records head \(head) at entry \(entries) of \(log); that entry hashes to \(check.lineHashes[entries - 1])"
        }
        return nil
    }
}
