/// One line of `journal.jsonl`.
///
/// ## File format
/// `journal.jsonl` is UTF-8 text with one event per line, each line ended by `\n` (no `\r`). A line is the
/// canonical JSON (see `JSONValue.canonicalJSON()`: sorted keys, no whitespace) of an object with exactly these
/// members, so the keys always appear in this order:
///
/// | key    | value |
/// |--------|-------|
/// | `data` | object: what the runner recorded (driver output, undo instructions, probe values) |
/// | `mono` | number: seconds since the run started on a monotonic clock, microsecond resolution |
/// | `prev` | string: lowercase hex SHA-256 of the previous line's exact bytes, without its `\n`; for the first event, the genesis value `Journal.genesisHash`, SHA-256 of the empty string (`e3b0c442…b855`) |
/// | `seq`  | integer: 1 for the first event, then +1 per line |
/// | `step` | string, optional: the plan step the event belongs to; absent when it belongs to none |
/// | `time` | string: wall-clock time, RFC 3339 UTC with microseconds (`2026-01-31T23:59:59.123456Z`) |
/// | `type` | string: the event type (`run.started`, `step.started`, `undo.intent`, …), defined by the runner |
///
/// Example (one line): `{"data":{"plan":"pg-failover"},"mono":0,"prev":"e3b0…b855","seq":1,"time":"2026-01-31T23:59:59.123456Z","type":"run.started"}`
///
/// Every line names the hash of the one before it, so editing, removing, inserting or reordering a line breaks
/// the chain at that point, and `JournalVerifier` can say where. The hash of the last line (the *head*) is what
/// a report quotes: changes to the last line, or lines removed from the end, are only detectable against it.
/// Each line is written with one `write(2)` and `fsync(2)`ed before `Journal.append` returns; a run killed
/// mid-write leaves at most a final line without its `\n`, which readers report and ignore.
public struct JournalEvent: Sendable, Codable, Equatable, Hashable {
    public var seq: Int
    public var time: String
    public var mono: Double
    public var type: String
    public var step: String?
    public var data: JSONValue
    public var prev: String

    public init(seq: Int, time: String, mono: Double, type: String, step: String? = nil, data: JSONValue = [:], prev: String) {
        self.seq = seq
        self.time = time
        self.mono = mono
        self.type = type
        self.step = step
        self.data = data
        self.prev = prev
    }

    /// The exact text of this event's line, without the newline.
    public func canonicalLine() -> String {
        String(decoding: canonicalLineBytes(), as: UTF8.self)
    }

    /// Hex SHA-256 of this event's line: the `prev` of the event that follows it.
    public func lineHash() -> String {
        JournalHex.sha256(canonicalLineBytes())
    }

    func canonicalLineBytes() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: #"{"data":"#.utf8)
        data.appendCanonical(to: &out)
        out.append(contentsOf: #","mono":"#.utf8)
        JSONValue.appendCanonicalNumber(mono, to: &out)
        out.append(contentsOf: #","prev":"#.utf8)
        JSONValue.appendCanonicalString(prev, to: &out)
        out.append(contentsOf: #","seq":"#.utf8)
        out.append(contentsOf: String(seq).utf8)
        if let step {
            out.append(contentsOf: #","step":"#.utf8)
            JSONValue.appendCanonicalString(step, to: &out)
        }
        out.append(contentsOf: #","time":"#.utf8)
        JSONValue.appendCanonicalString(time, to: &out)
        out.append(contentsOf: #","type":"#.utf8)
        JSONValue.appendCanonicalString(type, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads an event from a parsed line; the message says which member is missing or wrong.
    init(parsed value: JSONValue) throws(JournalEventFormatError) {
        guard case .object(let fields) = value else { throw JournalEventFormatError("the line is not a JSON object") }
        for key in fields.keys where !Self.keys.contains(key) {
            throw JournalEventFormatError("unexpected member \"\(key)\"")
        }
        guard let seqValue = fields["seq"] else { throw JournalEventFormatError("missing \"seq\"") }
        guard let seq = seqValue.intValue, seq >= 1 else { throw JournalEventFormatError("\"seq\" is not a positive integer") }
        guard let time = fields["time"]?.stringValue else { throw JournalEventFormatError("missing or non-string \"time\"") }
        guard let mono = fields["mono"]?.doubleValue else { throw JournalEventFormatError("missing or non-numeric \"mono\"") }
        guard let type = fields["type"]?.stringValue else { throw JournalEventFormatError("missing or non-string \"type\"") }
        var step: String?
        if let stepValue = fields["step"] {
            guard let s = stepValue.stringValue else { throw JournalEventFormatError("\"step\" is not a string") }
            step = s
        }
        guard let data = fields["data"], case .object = data else { throw JournalEventFormatError("missing or non-object \"data\"") }
        guard let prev = fields["prev"]?.stringValue else { throw JournalEventFormatError("missing or non-string \"prev\"") }
        guard JournalHex.isSHA256(prev) else { throw JournalEventFormatError("\"prev\" is not 64 lowercase hex digits") }
        self.init(seq: seq, time: time, mono: mono, type: type, step: step, data: data, prev: prev)
    }

    private static let keys: Set<String> = ["data", "mono", "prev", "seq", "step", "time", "type"]
}
