/// How a journal is signed: the key (nil: unsigned) and how often checkpoints are written.
public struct JournalSigning: Sendable {
    public var key: JournalSigningKey?
    public var everyEvents: Int
    public var everySeconds: Double

    public init(key: JournalSigningKey?, everyEvents: Int = JournalSignature.defaultEveryEvents,
                everySeconds: Double = JournalSignature.defaultEverySeconds) {
        self.key = key
        self.everyEvents = everyEvents
        self.everySeconds = everySeconds
    }

    public static let unsigned = JournalSigning(key: nil)
}
