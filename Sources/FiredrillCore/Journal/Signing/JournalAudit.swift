/// What `verify` and every report say about a journal beyond its hash chain: whether it is sealed, unfinished or
/// truncated, or tampered, and who signed it. Built by `JournalAuditor`.
public struct JournalAudit: Sendable, Equatable {
    public enum Integrity: String, Sendable, Equatable {
        /// The chain is intact and its last event is a seal.
        case sealed
        /// The chain is intact but does not end with a seal: the runner died, or the tail was cut off.
        case unfinished
        /// An event was edited, removed, inserted or re-chained, or a signature does not hold.
        case tampered
    }

    public enum Signing: Sendable, Equatable {
        case unsigned
        /// Signed by the key with this fingerprint; `trusted` is nil when no trusted keys were given.
        case signed(fingerprint: String, trusted: Bool?)
    }

    public var integrity: Integrity
    /// One line: `sealed: N events`, `unfinished or truncated after event N`, `TAMPERED: edited event N`.
    public var headline: String
    /// What else an auditor should know, one sentence each.
    public var details: [String]
    public var signing: Signing
    /// Intact events.
    public var eventCount: Int
    /// The last event a valid signature covers (nil: none).
    public var signedThrough: Int?
    /// A run that ended (its `run.ended` or `recover.ended` is there) but whose seal is missing: the tail was lost,
    /// as opposed to a runner that died before the end.
    public var lostTail: Bool
    /// The last signed event (a checkpoint or seal) when later events carry no signature (appended by `recover` without a key).
    public var unsignedAfter: Int?

    /// `unsigned`, or `signed by key <fingerprint>`, with the trust verdict when keys were given.
    public var signingText: String {
        switch signing {
        case .unsigned:
            return "unsigned"
        case .signed(let fingerprint, let trusted):
            switch trusted {
            case .none: return "signed by key \(fingerprint) (not checked against trusted keys: `firedrill verify --trust KEY`)"
            case .some(true): return "signed by trusted key \(fingerprint)"
            case .some(false): return "signed by an unknown key \(fingerprint)"
            }
        }
    }

    /// Whether nothing is wrong: sealed, untampered and, when trusted keys were given, wholly signed by one of them
    /// (without trusted keys, events appended unsigned after the signed ones are reported, not failed).
    public var isClean: Bool {
        guard integrity == .sealed else { return false }
        if case .signed(_, let trusted) = signing, let trusted {
            // Against trusted keys every event must be signed: a tail `recover` appended without the key is not.
            return trusted && unsignedAfter == nil
        }
        return true
    }
}
