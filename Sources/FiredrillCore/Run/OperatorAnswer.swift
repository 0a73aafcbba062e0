import Foundation

/// An operator's yes or no to a `manual` step, as `firedrill confirm` leaves it in the run directory for the
/// runner to pick up (or as typed on the runner's terminal).
public struct OperatorAnswer: Sendable, Codable, Hashable {
    public var step: String
    public var approved: Bool
    public var `operator`: String
    public var comment: String?
    /// When the answer was given, as an RFC 3339 UTC timestamp.
    public var at: String
    /// `confirm` (from `firedrill confirm`) or `terminal` (typed at the runner's prompt).
    public var via: String

    public init(step: String, approved: Bool, operator: String, comment: String?, at: Date = Date(), via: String) {
        self.step = step
        self.approved = approved
        self.operator = `operator`
        self.comment = comment
        self.at = Self.timestamp(at)
        self.via = via
    }

    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }

    /// `approved` or `rejected`.
    public var word: String { approved ? "approved" : "rejected" }

    /// The subdirectory of a run directory where `firedrill confirm` leaves answers.
    public static let directoryName = "answers"
    /// The largest answer file read; anything larger is not an answer.
    static let maxFileBytes = 64 * 1024

    public static func directory(in runDirectory: String) -> String {
        (runDirectory as NSString).appendingPathComponent(directoryName)
    }

    /// Leaves `answer` in the run directory atomically: written to a temporary name, then renamed, so the runner never
    /// reads half an answer. Answers are never overwritten; each gets its own file, named so they sort by time.
    /// - Returns: the file's path.
    @discardableResult
    public func write(in runDirectory: String) throws -> String {
        let dir = Self.directory(in: runDirectory)
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let nanos = UInt64(Date().timeIntervalSince1970 * 1e9)
        let name = String(format: "%020llu-%d-%08x.json", nanos, ProcessInfo.processInfo.processIdentifier, UInt32.random(in: 0...UInt32.max))
        let path = (dir as NSString).appendingPathComponent(name)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(self)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }

    /// Every answer left for `step`, oldest first, with its file name. Files that are not answers (a temporary file
    /// of a write in progress, a stray file) are skipped.
    public static func read(for step: String, in runDirectory: String) -> [(file: String, answer: OperatorAnswer)] {
        let dir = directory(in: runDirectory)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return [] }
        var found: [(String, OperatorAnswer)] = []
        for name in names.sorted() where name.hasSuffix(".json") && !name.hasPrefix(".") {
            let path = (dir as NSString).appendingPathComponent(name)
            guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
                  (attributes[.type] as? FileAttributeType) == .typeRegular,
                  let size = attributes[.size] as? Int, size <= maxFileBytes,
                  let data = FileManager.default.contents(atPath: path),
                  let answer = try? JSONDecoder().decode(OperatorAnswer.self, from: data),
                  answer.step == step else { continue }
            found.append((name, answer))
        }
        return found
    }
}

/// The runner's own terminal, when a person sits at it: a `manual` step shows its prompt there and takes yes/no.
/// The executable provides it; unattended runs have none and wait for `firedrill confirm`.
public protocol OperatorTerminal: Sendable {
    /// Shows a `manual` step's prompt and how to answer.
    func ask(step: String, prompt: String, who: String?, timeout: Duration)
    /// A yes/no typed since the last call, without blocking; nil when nothing was typed.
    func poll() -> (approved: Bool, comment: String?)?
    /// Who answers at this terminal (the run's initiator).
    var operatorName: String { get }
}
