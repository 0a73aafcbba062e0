import Crypto

/// Where the plan file came from in version control: the commit only when git says the file is tracked and
/// unmodified at that commit, and otherwise why there is none.
public struct PlanProvenance: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable {
        /// Tracked and identical to `HEAD`: `commit` is set.
        case committed
        /// Tracked, but the file differs from `HEAD`.
        case modified
        /// In a git work tree, but not tracked.
        case untracked
        /// Not inside a git work tree.
        case notInRepository = "not-in-repository"
        /// `git` is not installed, timed out or failed; `detail` says which.
        case unavailable
        /// Nothing asked git (a run set up without the executable's probes).
        case notChecked = "not-checked"
    }

    public var status: Status
    public var commit: String?
    public var detail: String?

    public init(status: Status, commit: String? = nil, detail: String? = nil) {
        self.status = status
        self.commit = status == .committed ? commit : nil
        self.detail = detail
    }

    /// The id git gives `text` as a blob (`git hash-object`): SHA-1 of `blob <length>\0<bytes>`, or SHA-256 in a
    /// repository whose ids are 64 hex digits long.
    public static func gitBlobID(of text: String, idLength: Int = 40) -> String {
        let bytes = Array(text.utf8)
        let object = Array("blob \(bytes.count)\0".utf8) + bytes
        if idLength == 64 { return JournalHex.sha256(object) }
        return Insecure.SHA1.hash(data: object).map { String(format: "%02x", $0) }.joined()
    }

    public var json: JSONValue {
        .object([
            "status": .string(status.rawValue), "git-commit": commit.map { .string($0) } ?? .null,
            "detail": detail.map { .string($0) } ?? .null,
        ])
    }

    /// What a report says about it.
    public var summary: String {
        switch status {
        case .committed: return "git commit \(commit ?? "")"
        case .modified: return "no git commit: " + (detail ?? "the file differs from the repository's HEAD")
        case .untracked: return "no git commit: " + (detail ?? "the file is not tracked by git")
        case .notInRepository: return "no git commit: the file is not in a git repository"
        case .unavailable: return "no git commit: git could not be asked" + (detail.map { " (\($0))" } ?? "")
        case .notChecked: return "no git commit: not checked"
        }
    }
}
