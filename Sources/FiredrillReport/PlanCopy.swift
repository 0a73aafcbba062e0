import FiredrillCore
import Foundation

/// What the report takes from the run directory's copy of the plan (`plan.yaml`): the description and the
/// objectives, which the journal does not carry. Used only when the copy's SHA-256 is the one the journal names.
struct PlanCopy: Sendable {
    var status: String
    var description: String?
    var rtoObjective: Double?
    var rpoObjective: Double?

    static func read(runDirectory: String) -> (text: String, exists: Bool) {
        let path = runDirectory + "/" + RunManifest.planCopyName
        guard let data = FileManager.default.contents(atPath: path) else { return ("", false) }
        return (String(decoding: data, as: UTF8.self), true)
    }

    static func read(text: String?, expectedSHA256: String) -> PlanCopy {
        guard let text else { return PlanCopy(status: "missing") }
        guard RunSession.sha256(text) == expectedSHA256 else { return PlanCopy(status: "differs") }
        var copy = PlanCopy(status: "matches")
        guard let root = YAMLReader(path: RunManifest.planCopyName).read(Data(text.utf8)).node else { return copy }
        if let d = root["description"]?.scalar?.trimmingCharacters(in: .whitespacesAndNewlines), !d.isEmpty {
            copy.description = d
        }
        if let objectives = root["objectives"] {
            copy.rtoObjective = objectives["rto"]?.scalar.flatMap { try? DurationSyntax.parse($0) }?.seconds
            copy.rpoObjective = objectives["rpo"]?.scalar.flatMap { try? DurationSyntax.parse($0) }?.seconds
        }
        return copy
    }

    init(status: String) {
        self.status = status
    }
}
