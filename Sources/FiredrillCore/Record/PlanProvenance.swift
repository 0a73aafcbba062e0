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
        case .modified: return "no git commit: the file differs from the repository's HEAD"
        case .untracked: return "no git commit: the file is not tracked by git"
        case .notInRepository: return "no git commit: the file is not in a git repository"
        case .unavailable: return "no git commit: git could not be asked" + (detail.map { " (\($0))" } ?? "")
        case .notChecked: return "no git commit: not checked"
        }
    }
}
