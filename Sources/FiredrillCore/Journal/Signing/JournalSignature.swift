/// What a journal's signatures sign, and the checkpoint policy.
///
/// A `journal.checkpoint` or `journal.sealed` event signs its own line: the message is `firedrill-journal-v1\n`
/// followed by the event's canonical line with `signature` set to the empty string. The line holds its type
/// (so a checkpoint's signature never passes as a seal's), its `count` and `head`, and its `prev`: the hash of
/// the line before it, which through the chain fixes every earlier line.
public enum JournalSignature {
    public enum Kind: String, Sendable {
        case checkpoint
        case seal
    }

    /// Checkpoints of a signed journal: after this many events since the last one…
    public static let defaultEveryEvents = 200
    /// …or this many seconds after the first event not yet covered, whichever comes first.
    public static let defaultEverySeconds = 5.0

    /// What the signature of `event` (a checkpoint or seal) signs.
    public static func message(for event: JournalEvent) -> [UInt8] {
        var unsigned = event
        unsigned.data = event.data.setting("signature", .string(""))
        return Array("firedrill-journal-v1\n".utf8) + unsigned.canonicalLineBytes()
    }

    /// The message a sign-off or annotation entry signs: its canonical line without the `signature` member.
    public static func entryMessage(_ canonicalLineWithoutSignature: String) -> [UInt8] {
        Array("firedrill-entry-v1\n\(canonicalLineWithoutSignature)\n".utf8)
    }
}
