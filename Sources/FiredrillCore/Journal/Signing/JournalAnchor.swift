import Foundation

/// One line of an anchors file (`run --anchor-file`): what a run's journal ended at, kept where the run
/// directory's owner cannot rewrite it (an append-only file, a log shipper's input, another machine's mount).
///
/// The line is canonical JSON: `run-id` (the run directory's name), `run-directory`, `plan`, `head` (hash of the
/// journal's last line: the seal), `events` (its event count), `seal-signature` and `key` (null when unsigned),
/// `time`. The file is opened with `O_APPEND`, so concurrent runs never interleave within a line.
public struct JournalAnchor: Sendable, Equatable {
    public var runID: String
    public var runDirectory: String
    public var plan: String
    public var head: String
    public var events: Int
    public var sealSignature: String?
    public var key: String?
    public var time: String

    public init(runDirectory: String, plan: String, contents: JournalContents) {
        self.runDirectory = runDirectory
        self.runID = (runDirectory as NSString).lastPathComponent
        self.plan = plan
        self.head = contents.verification.head
        self.events = contents.verification.eventCount
        let seal = contents.events.last.flatMap { $0.is(.journalSealed) ? $0 : nil }
        self.sealSignature = seal?.data["signature"]?.stringValue
        self.key = seal?.data["key"]?.stringValue
        self.time = JournalClock.rfc3339(microseconds: JournalClock.system.wallMicroseconds())
    }

    /// What another record (the history store's end record of the run) says the journal ended at.
    public init(runID: String, runDirectory: String, plan: String, head: String, events: Int, time: String) {
        self.runID = runID
        self.runDirectory = runDirectory
        self.plan = plan
        self.head = head
        self.events = events
        self.sealSignature = nil
        self.key = nil
        self.time = time
    }

    init?(_ value: JSONValue) {
        guard value["log"] == nil, let runID = value["run-id"]?.stringValue, let head = value["head"]?.stringValue,
              let events = value["events"]?.intValue else { return nil }
        self.runID = runID
        self.runDirectory = value["run-directory"]?.stringValue ?? ""
        self.plan = value["plan"]?.stringValue ?? ""
        self.head = head
        self.events = events
        self.sealSignature = value["seal-signature"]?.stringValue
        self.key = value["key"]?.stringValue
        self.time = value["time"]?.stringValue ?? ""
    }

    var json: JSONValue {
        [
            "run-id": .string(runID), "run-directory": .string(runDirectory), "plan": .string(plan), "head": .string(head),
            "events": .number(Double(events)), "seal-signature": sealSignature.map { .string($0) } ?? .null,
            "key": key.map { .string($0) } ?? .null, "time": .string(time),
        ]
    }

    /// Appends this anchor as one line to `path` (`O_APPEND`, one `write(2)`, fsynced).
    public func append(to path: String) throws {
        try JournalFileIO.appendLine(json.canonicalJSON(), to: path, what: "the anchor file \(path)")
    }

    /// Every anchor of the journal in `path` for the run `runID`, in file order (the file's lines anchoring a
    /// sign-off or annotation log are `EvidenceAnchor`s).
    public static func read(path: String, runID: String) throws -> [JournalAnchor] {
        try lines(path).compactMap(JournalAnchor.init).filter { $0.runID == runID }
    }

    /// Every line of the anchors file `path` that is JSON.
    static func lines(_ path: String) throws -> [JSONValue] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw RunError("cannot read the anchor file \(path): \(error.localizedDescription)")
        }
        return text.split(separator: "\n").compactMap { try? JSONValue.parse(String($0)) }
    }

    /// What the journal says against this anchor: nil when it holds (the journal reaches the anchored event with
    /// the anchored hash), else the mismatch, worded as tampering or truncation.
    public func mismatch(with contents: JournalContents) -> String? {
        mismatch(with: contents.verification) { contents.events[$0].prev }
    }

    /// Like `mismatch(with:)`, given the verification and the `prev` of the event at a 0-based index.
    public func mismatch(with verification: VerificationResult, prevAt: (Int) -> String) -> String? {
        let count = verification.eventCount
        guard count >= events else {
            return "truncated: the anchor (\(time)) records \(events) events ending at head \(head); the journal has only \(count)"
        }
        // The hash of line `events`: the next event's prev, or the head when it is the last.
        let hash = events == count ? verification.head : prevAt(events)
        guard hash == head else {
            return "TAMPERED: the anchor (\(time)) records head \(head) at event \(events); the journal's event \(events) hashes to \(hash)"
        }
        return nil
    }
}
