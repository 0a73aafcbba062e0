import FiredrillCore

/// The target locks of one machine: a `flock` file per target under the reports root (`.locks/targets/`), taken
/// all or nothing and held for the run's life, so two plans acting on the same target from one machine are not
/// run at once, with or without a store. (A shared PostgreSQL store adds the same lock across machines.) The
/// kernel drops a lock when its runner dies, however it dies.
public enum LocalTargetLocks {
    /// What `acquire` got.
    public enum Outcome: Sendable {
        /// Every target is locked while these are alive.
        case acquired([ProcessLock])
        /// Another runner on this machine holds `target`; its holder as it recorded itself, when readable.
        case held(target: PlanTarget, by: ProcessLock.Holder?)
    }

    /// The lock file of `target` under the reports root `root`.
    public static func path(root: String, target: PlanTarget) -> String {
        root + "/.locks/targets/" + target.lockName.replacingOccurrences(of: "firedrill.target:", with: "") + ".lock"
    }

    /// Tries each target's lock, in one order for every runner and never waiting, so two runners cannot deadlock;
    /// on the first one held, releases what it took.
    /// - Throws: `RunError` when a lock file cannot be made (a reports root this user cannot write).
    public static func acquire(_ targets: [PlanTarget], plan: String, root: String) throws -> Outcome {
        var taken: [ProcessLock] = []
        for target in Set(targets).sorted(by: { $0.lockName < $1.lockName }) {
            do {
                taken.append(try ProcessLock.acquire(path(root: root, target: target), holder: .init(command: "run", runDirectory: nil, plan: plan)))
            } catch let held as ProcessLock.Held {
                return .held(target: target, by: held.holder)
            }
        }
        return .acquired(taken)
    }
}
