import FiredrillCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// `process-group.end`: the undo a `command` step journals as soon as its child exists, closed when the command
/// has finished. If the runner dies meanwhile, `firedrill recover` ends the group: SIGTERM, a grace period, then
/// SIGKILL. The group is identified by its id, its leader's start time and the boot it started in, so a group id
/// reused by an unrelated process after a reboot or after the group ended is never signalled.
public struct ProcessGroupEndUndo: DeclaredUndo {
    public static let key = "process-group.end"
    static let grace: Duration = .seconds(5)

    public init() {}

    /// The undo action for the group led by `pid`, which the caller just started.
    public static func action(forGroup pid: pid_t, step: String, commandLine: String) -> UndoAction {
        let ticks = ProcStat.read(pid: pid)?.startTicks
        let params: JSONValue = [
            "pgid": .number(Double(pid)),
            "start-ticks": ticks.map { .number(Double($0)) } ?? .null,
            "boot-id": bootID().map { .string($0) } ?? .null,
        ]
        return UndoAction(key: key, params: params,
                          description: "end process group \(pid) (\(commandLine)) of step \(step) if it is still running",
                          cleanup: true)
    }

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard let group = params["pgid"]?.intValue.map(pid_t.init), group > 1 else {
            throw DriverError(Self.key, "the journaled process group id is missing")
        }
        if let recorded = params["boot-id"]?.stringValue, let now = Self.bootID(), recorded != now {
            return "process group \(group) ended with the machine's restart"
        }
        guard ProcessGroupTerminator.hasLiveMembers(group) else { return "process group \(group) had already ended" }
        if let leader = ProcStat.read(pid: group), let ticks = params["start-ticks"]?.doubleValue,
           leader.startTicks != UInt64(ticks) {
            return "process group \(group) had already ended (its id now belongs to another process, left alone)"
        }
        let members = Self.liveMembers(group)
        context.progress("ending process group \(group) (\(members) process(es))")
        await ProcessGroupTerminator.terminate(group: group, deadline: ContinuousClock.now + Self.grace)
        if ProcessGroupTerminator.hasLiveMembers(group) {
            throw DriverError(Self.key, "process group \(group) is still running after SIGTERM and SIGKILL")
        }
        return "ended process group \(group) (\(members) process(es) still running: SIGTERM, then SIGKILL after \(DurationSyntax.format(Self.grace)))"
    }

    static func liveMembers(_ group: pid_t) -> Int {
        ProcStat.allPIDs().filter { pid in
            guard let stat = ProcStat.read(pid: pid) else { return false }
            return stat.processGroupID == group && !stat.isZombie
        }.count
    }

    static func bootID() -> String? {
        (try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
