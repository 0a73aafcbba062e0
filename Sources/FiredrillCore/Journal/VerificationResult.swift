/// The outcome of checking a journal: how many events form an intact chain, the hash of the last of them, and
/// the first problem found (nil when the whole file is intact).
public struct VerificationResult: Sendable, Equatable, CustomStringConvertible {
    /// Events from the start of the file that are intact: all of them when `problem` is nil.
    public let eventCount: Int
    /// Hex SHA-256 of the last intact line (`Journal.genesisHash` when there is none).
    public let head: String
    public let problem: JournalProblem?

    public init(eventCount: Int, head: String, problem: JournalProblem?) {
        self.eventCount = eventCount
        self.head = head
        self.problem = problem
    }

    public var isValid: Bool { problem == nil }

    public var description: String {
        guard let problem else { return "journal intact: \(eventCount) events, head \(head)" }
        return "\(problem); the first \(eventCount) events are intact (head \(head))"
    }
}
