/// The first thing wrong with a journal file, and where: `line` is 1-based; `seq` is the event's sequence
/// number when the line could be read as an event.
public struct JournalProblem: Sendable, Equatable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Sendable, Equatable {
        /// The line is not JSON; the text says what the parser found and at which column.
        case invalidJSON(String)
        /// The line is JSON but not an event (a member is missing, unexpected or of the wrong type).
        case invalidEvent(String)
        /// The line parses, but is not byte-for-byte the canonical text of what it contains (re-formatted or
        /// edited by hand).
        case notCanonical
        /// `seq` is not one more than the previous line's (`from` is 0 on the first line): an event was
        /// removed, inserted or moved.
        case seqJump(from: Int, to: Int)
        /// `prev` does not match the hash of the previous line (or, on the first line, the genesis value).
        case chainBroken
        /// This line changed after it was written: its hash no longer matches the `prev` recorded by the next
        /// event, while that event's own link to the one after it still holds.
        case altered
        /// The last line has no newline: the writer stopped mid-line (killed or out of space). Every line
        /// before it is intact.
        case truncatedFinalLine(bytes: Int)
        /// The chain is intact but ends at a different hash than the one expected (for example the head a
        /// report recorded): the final events were altered or removed.
        case headMismatch(expected: String, actual: String)
    }

    public let line: Int
    public let seq: Int?
    public let kind: Kind

    public init(line: Int, seq: Int?, kind: Kind) {
        self.line = line
        self.seq = seq
        self.kind = kind
    }

    private var location: String {
        if let seq { return "event \(seq) (line \(line))" }
        return "line \(line)"
    }

    public var description: String {
        switch kind {
        case .invalidJSON(let why):
            return "line \(line): not valid JSON: \(why)"
        case .invalidEvent(let why):
            return "line \(line): not a journal event: \(why)"
        case .notCanonical:
            return "\(location): not in canonical form (the line was re-formatted or edited)"
        case .seqJump(let from, let to):
            if from == 0 { return "line \(line): the first event has seq \(to), expected 1 (events are missing)" }
            if to > from { return "line \(line): seq jumps from \(from) to \(to) (events are missing)" }
            return "line \(line): seq goes from \(from) to \(to) (an event was inserted, duplicated or moved)"
        case .chainBroken:
            if line == 1 { return "\(location): hash chain broken: prev is not the genesis value" }
            return "\(location): hash chain broken: prev does not match line \(line - 1)"
        case .altered:
            return "\(location): altered after it was written: its hash does not match the prev recorded by line \(line + 1)"
        case .truncatedFinalLine(let bytes):
            return "line \(line): truncated final line (\(bytes) bytes without a newline; the writer stopped mid-line)"
        case .headMismatch(let expected, let actual):
            return "\(location): the journal ends at hash \(actual), expected \(expected) (final events were altered or removed)"
        }
    }
}
