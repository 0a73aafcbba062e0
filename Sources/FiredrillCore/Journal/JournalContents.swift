/// What `JournalReader` found: the intact events and the verification of the whole file.
public struct JournalContents: Sendable {
    /// Events from the start of the file up to the first problem (all of them when the file is intact).
    public let events: [JournalEvent]
    public let verification: VerificationResult

    public init(events: [JournalEvent], verification: VerificationResult) {
        self.events = events
        self.verification = verification
    }

    /// The writer stopped mid-line (for example it was killed); `events` holds everything before that line.
    public var hasTruncatedFinalLine: Bool {
        if case .truncatedFinalLine = verification.problem?.kind { return true }
        return false
    }
}
