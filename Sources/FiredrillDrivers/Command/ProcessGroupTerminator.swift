import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Ends a whole process group: `SIGTERM`, a grace period, then `SIGKILL` for whatever is left.
enum ProcessGroupTerminator {
    static let pollInterval: Duration = .milliseconds(10)

    /// Whether any member of the group is still running. Zombies do not count: they have
    /// ended and only wait for their parent (or init) to reap them.
    static func hasLiveMembers(_ group: pid_t) -> Bool {
        guard group > 1 else { return false }
        if kill(-group, 0) != 0, errno == ESRCH { return false }
        #if os(Linux)
        for pid in ProcStat.allPIDs() {
            if let stat = ProcStat.read(pid: pid), stat.processGroupID == group, !stat.isZombie { return true }
        }
        return false
        #else
        return true
        #endif
    }

    static func send(_ signal: Int32, to group: pid_t) {
        guard group > 1 else { return }
        _ = kill(-group, signal)
    }

    /// Sends `SIGTERM` to the group (unless `alreadySignalled`), waits until `deadline` for
    /// its members to end, then sends `SIGKILL`. Runs to completion even in a cancelled task.
    static func terminate(group: pid_t, deadline: ContinuousClock.Instant, alreadySignalled: Bool = false) async {
        guard hasLiveMembers(group) else { return }
        if !alreadySignalled { send(SIGTERM, to: group) }
        let clock = ContinuousClock()
        while clock.now < deadline, hasLiveMembers(group) {
            // Sleeping must not be cut short by cancellation: the point is to finish teardown.
            await uncancellableSleep(min(pollInterval, deadline - clock.now))
        }
        if hasLiveMembers(group) { send(SIGKILL, to: group) }
    }

    private static func uncancellableSleep(_ duration: Duration) async {
        guard duration > .zero else { return }
        await Task.detached { try? await Task.sleep(for: duration) }.value
    }
}
