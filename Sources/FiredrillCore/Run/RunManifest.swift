import Foundation

/// `run.json` in a run directory: what `firedrill recover` and `firedrill report` need besides the journal —
/// the plan as it was run (copied to `plan.yaml`), the var overrides and the options.
public struct RunManifest: Sendable, Codable {
    public var planName: String
    public var planPath: String
    public var planSHA256: String
    public var gitCommit: String?
    public var kind: PlanKind
    public var overrides: [String: String]
    public var rollbacks: RollbackPolicy
    public var initiator: String
    public var startedAt: String
    public var notes: [String]

    public static let fileName = "run.json"
    public static let planCopyName = "plan.yaml"

    public func write(to directory: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(self).write(to: URL(fileURLWithPath: directory + "/" + Self.fileName), options: .atomic)
    }

    public static func read(from directory: String) throws -> RunManifest {
        let url = URL(fileURLWithPath: directory + "/" + fileName)
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RunError("\(directory) is not a run directory: \(fileName) is missing")
        }
        do {
            return try JSONDecoder().decode(RunManifest.self, from: data)
        } catch {
            throw RunError("\(url.path) is unreadable: \(error)")
        }
    }
}

/// A problem setting up, recovering or reading a run (not a plan mistake and not a step failure).
public struct RunError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
