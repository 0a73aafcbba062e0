/// Folds a journal's intact events, in order, into a `JournalAudit`: the first event's key, every checkpoint and
/// seal signature, and where the run ended. Cheap per event, so it runs alongside the report builder.
///
/// A signature at event S signs the chain through event S − 1 (`JournalSignature`). When one does not hold over
/// an intact chain, the chain was recomputed after an edit: the edit lies after the last signature that holds.
public struct JournalAuditor: Sendable {
    private var count = 0
    private var runKey: String?
    private var runKeyProblem: String?
    private var lastEnded: Int?
    private var lastSeal: Int?
    private var signedThrough: Int?
    /// `seq` of the last checkpoint or seal whose signature holds.
    private var lastSigned: Int?
    private var badSignature: (seq: Int, kind: String, after: Int, why: String)?
    private var foreignKeys: [(seq: Int, kind: String, fingerprint: String)] = []
    private var unsignedSealAfter: Int?
    /// The hash of every `journal.sealed` line: what a sign-off or annotation chain may start from.
    public private(set) var sealHashes: Set<String> = []

    public init() {}

    public mutating func consume(_ event: JournalEvent) {
        count = event.seq
        if event.seq == 1 {
            if let fingerprint = event.data["signing-key"]?.stringValue {
                runKey = fingerprint
                let embedded = event.data["signing-public-key"]?.stringValue.flatMap(JournalPublicKey.init(base64:))
                if embedded?.fingerprint != fingerprint {
                    runKeyProblem = "the first event's signing-key does not match its signing-public-key"
                }
            }
        }
        if event.is(.runEnded) || event.is(.recoverEnded) { lastEnded = event.seq }
        let isSeal = event.is(.journalSealed)
        guard isSeal || event.is(.journalCheckpoint) else { return }
        if isSeal {
            lastSeal = event.seq
            sealHashes.insert(event.lineHash())
        }
        guard badSignature == nil else { return }
        let name = isSeal ? "seal" : "checkpoint"
        let covered = event.seq - 1
        if event.data["count"]?.intValue != covered || event.data["head"]?.stringValue != event.prev {
            badSignature = (event.seq, name, signedThrough ?? 0, "its count or head does not match the chain")
            return
        }
        guard let signature = event.data["signature"]?.stringValue else {
            // The last signed checkpoint or seal vouches for its own line too: the unsigned part starts after it.
            if isSeal, runKey != nil, unsignedSealAfter == nil { unsignedSealAfter = lastSigned ?? 0 }
            return
        }
        guard let key = event.data["public-key"]?.stringValue.flatMap(JournalPublicKey.init(base64:)),
              event.data["key"]?.stringValue == key.fingerprint else {
            badSignature = (event.seq, name, signedThrough ?? 0, "its key and public-key do not match")
            return
        }
        guard key.verifies(signature, of: JournalSignature.message(for: event)) else {
            badSignature = (event.seq, name, signedThrough ?? 0, "its signature does not match the events before it")
            return
        }
        if key.fingerprint != runKey { foreignKeys.append((event.seq, name, key.fingerprint)) }
        signedThrough = covered
        lastSigned = event.seq
        unsignedSealAfter = nil
    }

    /// The audit, given the chain's verification and (for `verify --trust`) the trusted keys.
    public func finish(verification: VerificationResult, trust: JournalTrust? = nil) -> JournalAudit {
        var signing = JournalAudit.Signing.unsigned
        if let runKey { signing = .signed(fingerprint: runKey, trusted: trust.map { $0.trusts(runKey) }) }
        var audit = JournalAudit(integrity: .sealed, headline: "", details: [], signing: signing,
                                 eventCount: verification.eventCount, signedThrough: signedThrough, lostTail: false,
                                 unsignedAfter: nil)
        if let problem = verification.problem, !Self.isTorn(problem) {
            audit.integrity = .tampered
            audit.headline = "TAMPERED: " + Self.what(problem)
            audit.details.append("\(problem)")
            return audit
        }
        if let runKeyProblem {
            audit.integrity = .tampered
            audit.headline = "TAMPERED: edited event 1 (\(runKeyProblem))"
            return audit
        }
        if let bad = badSignature {
            audit.integrity = .tampered
            let first = bad.after + 1, last = bad.seq - 1
            let earlier = first > last ? "" : first == last ? ", or event \(last) with the hash chain recomputed after the edit"
                : ", or an event in \(first)…\(last) with the hash chain recomputed after the edit"
            audit.headline = "TAMPERED: edited event \(bad.seq)\(earlier) (the \(bad.kind) at event \(bad.seq) fails: \(bad.why))"
            return audit
        }
        for foreign in foreignKeys where trust?.trusts(foreign.fingerprint) != true {
            audit.integrity = .tampered
            let run = runKey.map { "the run's key is \($0)" } ?? "the run names no key"
            audit.headline = "TAMPERED: signed by an unknown key: the \(foreign.kind) at event \(foreign.seq) is signed by \(foreign.fingerprint) (\(run))"
            return audit
        }
        if runKey != nil, let after = unsignedSealAfter {
            audit.unsignedAfter = after
            audit.details.append("events \(after + 1)…\(count) are not signed: they were appended (by `firedrill recover`) without the signing key")
        }
        if let lastSeal, lastSeal == count, verification.problem == nil {
            audit.headline = "sealed: \(count) events"
        } else {
            audit.integrity = .unfinished
            if runKey == nil {
                audit.headline = "unfinished or truncated after event \(count) (no seal)"
            } else {
                audit.headline = "unfinished or truncated after event \(count) (no seal and no later checkpoint"
                    + (signedThrough.map { "; signatures prove events 1…\($0))" } ?? ")")
            }
            if runKey != nil {
                audit.details.append(signedThrough.map { "the last checkpoint proves events 1…\($0); events after it carry no signature" }
                                     ?? "no checkpoint was written: no event is proven by a signature")
            }
            if lastSeal == count {
                audit.details.append("a torn line follows the seal: something wrote to the journal after it was sealed")
            } else if let ended = lastEnded, ended > (lastSeal ?? 0) {
                audit.lostTail = true
                audit.details.append("the run ended (event \(ended)) but the seal that follows it is missing: the journal lost its tail")
            } else {
                audit.details.append("no seal and no end of run after event \(lastSeal ?? 0): the runner stopped before the end (for example it was killed; `firedrill recover` finishes and seals it), or the tail was removed")
            }
            if let problem = verification.problem { audit.details.append("\(problem)") }
        }
        return audit
    }

    static func isTorn(_ problem: JournalProblem) -> Bool {
        if case .truncatedFinalLine = problem.kind { return true }
        return false
    }

    /// "edited event N", "events removed before line L", …
    static func what(_ problem: JournalProblem) -> String {
        switch problem.kind {
        case .altered, .notCanonical, .invalidEvent, .invalidJSON:
            // Lines before the problem are intact, so line N holds event N.
            return "edited event \(problem.seq ?? problem.line)"
        case .chainBroken:
            return "edited event \(problem.seq.map(String.init) ?? "?") (its prev does not match the line before it; an event was edited, inserted or removed)"
        case .seqJump(let from, let to):
            return to > from ? "events removed after event \(from)" : "event inserted, duplicated or moved at line \(problem.line)"
        case .truncatedFinalLine:
            return "torn final line"
        case .headMismatch:
            return "the final events were altered or removed"
        }
    }
}

extension JournalAuditor {
    /// Audits the events of `contents` (a journal already read).
    public static func audit(_ contents: JournalContents, trust: JournalTrust? = nil) -> JournalAudit {
        var auditor = JournalAuditor()
        for event in contents.events { auditor.consume(event) }
        return auditor.finish(verification: contents.verification, trust: trust)
    }
}
