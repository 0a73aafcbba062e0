import Foundation

/// `signoffs.jsonl` and `annotations.jsonl`: records added to a run after it ended, each chained to the journal's
/// seal and to the entry before it, and signed when a key is given.
///
/// One entry per line, the canonical JSON of an object with the members `data` (what was recorded), `key` (the
/// signer's fingerprint or null), `prev` (hex SHA-256 of the previous entry's line; for the first entry, the hash
/// of the journal's `journal.sealed` line), `public-key` (base64, or null), `seq` (1, 2, …), `signature` (base64
/// ed25519 signature of `firedrill-entry-v1\n` + the line with `signature` set to `""`, then `\n`; or null) and
/// `time` (RFC 3339 UTC). Editing, removing or reordering an entry breaks the chain; editing a signed entry and
/// recomputing the chain breaks its signature. Removing the *last* entry leaves no trace in the file itself, which
/// is what an anchor of the log (`EvidenceAnchor`, kept outside the run directory) is for.
public struct EvidenceLog: Sendable {
    public static let signOffsFile = "signoffs.jsonl"
    public static let annotationsFile = "annotations.jsonl"

    /// One entry as read.
    public struct Entry: Sendable {
        public var seq: Int
        public var time: String
        public var data: JSONValue
        public var key: String?
        public var signed: Bool
    }

    /// What reading and checking a log found.
    public struct Check: Sendable {
        public var entries: [Entry] = []
        /// The first problem, naming the entry; nil when every entry holds.
        public var problem: String?
        /// Fingerprints of the keys that signed entries.
        public var keys: Set<String> = []
        /// The hex SHA-256 of each intact entry's line, in order (what an anchor of the log records).
        public var lineHashes: [String] = []
    }

    public let path: String

    public init(runDirectory: String, file: String) {
        self.path = runDirectory + "/" + file
    }

    /// Reads and checks the log against the journal's seal hashes (every `journal.sealed` line's hash).
    public func check(sealHashes: Set<String>) -> Check {
        var out = Check()
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return out }
        var prev: String?
        let name = (path as NSString).lastPathComponent
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if line.isEmpty { if index > 0 { continue } else { break } }
            let n = index + 1
            guard let value = try? JSONValue.parse(String(line)), case .object(let f) = value else {
                out.problem = "\(name): entry \(n) is not valid JSON (edited)"
                return out
            }
            guard value.canonicalJSON() == String(line) else {
                out.problem = "\(name): entry \(n) is not in canonical form (edited)"
                return out
            }
            guard f["seq"]?.intValue == n else {
                out.problem = "\(name): entry \(n) has seq \(f["seq"]?.intValue.map(String.init) ?? "?"): an entry was removed, inserted or reordered"
                return out
            }
            let linkedPrev = f["prev"]?.stringValue ?? ""
            if let prev {
                guard linkedPrev == prev else {
                    out.problem = "\(name): entry \(n) does not link to entry \(n - 1): entry \(n - 1) was edited, or entries were removed or reordered"
                    return out
                }
            } else if !sealHashes.contains(linkedPrev) {
                out.problem = "\(name): entry 1 is not chained to this journal's seal (it belongs to another run, or the journal was changed)"
                return out
            }
            var signed = false
            if let signature = f["signature"]?.stringValue {
                let unsigned = value.setting("signature", .string("")).canonicalJSON()
                guard let key = f["public-key"]?.stringValue.flatMap(JournalPublicKey.init(base64:)),
                      f["key"]?.stringValue == key.fingerprint,
                      key.verifies(signature, of: JournalSignature.entryMessage(unsigned)) else {
                    out.problem = "\(name): entry \(n)'s signature does not match it (edited)"
                    return out
                }
                out.keys.insert(key.fingerprint)
                signed = true
            }
            out.entries.append(Entry(seq: n, time: f["time"]?.stringValue ?? "", data: f["data"] ?? [:],
                                     key: f["key"]?.stringValue, signed: signed))
            prev = JournalHex.sha256(Array(line.utf8))
            out.lineHashes.append(prev!)
        }
        return out
    }

    /// Appends an entry, chained to the last one (or to `sealHash`, the hash of the journal's last line, which
    /// must be its seal) and signed with `key` when given; written with one `write(2)` on `O_APPEND`, fsynced.
    /// Returns the entry's `seq` and the hash of its line (the log's new head).
    @discardableResult
    public func append(_ data: JSONValue, sealHashes: Set<String>, lastSeal: String, key: JournalSigningKey?,
                       time: String = JournalClock.rfc3339(microseconds: JournalClock.system.wallMicroseconds())) throws -> (seq: Int, head: String) {
        let existing = check(sealHashes: sealHashes)
        if let problem = existing.problem { throw RunError("\(problem); refusing to extend a broken record") }
        var prev = lastSeal
        if let text = try? String(contentsOfFile: path, encoding: .utf8),
           let last = text.split(separator: "\n").last {
            prev = JournalHex.sha256(Array(last.utf8))
        }
        var entry: JSONValue = [
            "data": data, "prev": .string(prev), "seq": .number(Double(existing.entries.count + 1)), "time": .string(time),
            "key": .null, "public-key": .null, "signature": .null,
        ]
        if let key {
            entry = entry.setting("key", .string(key.publicKey.fingerprint)).setting("public-key", .string(key.publicKey.base64))
                .setting("signature", .string(""))
            entry = entry.setting("signature", .string(key.sign(JournalSignature.entryMessage(entry.canonicalJSON()))))
        }
        let line = entry.canonicalJSON()
        try JournalFileIO.appendLine(line, to: path, what: path)
        return (existing.entries.count + 1, JournalHex.sha256(Array(line.utf8)))
    }
}
