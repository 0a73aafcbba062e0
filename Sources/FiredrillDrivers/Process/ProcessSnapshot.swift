import Foundation

/// One process as seen in /proc at the moment it was read.
public struct ProcessSnapshot: Sendable, Hashable {
    public let pid: Int32
    public let parentPID: Int32
    public let processGroupID: Int32
    /// The process's argv as the kernel reports it (`/proc/<pid>/cmdline`).
    public let arguments: [String]
    /// ``arguments`` joined by single spaces: what `match` patterns run against.
    public let commandLine: String
    /// Start time in seconds after boot (`/proc/<pid>/stat` field 22); orders processes from
    /// oldest to newest.
    public let startSecondsSinceBoot: Double
    /// The state letter from `/proc/<pid>/stat`: `R` running, `S` sleeping, `T` stopped, `Z` zombie, …
    public let state: Character

    public init(
        pid: Int32, parentPID: Int32, processGroupID: Int32, arguments: [String],
        startSecondsSinceBoot: Double, state: Character
    ) {
        self.pid = pid
        self.parentPID = parentPID
        self.processGroupID = processGroupID
        self.arguments = arguments
        self.commandLine = arguments.joined(separator: " ")
        self.startSecondsSinceBoot = startSecondsSinceBoot
        self.state = state
    }

    /// Stopped by a signal (`SIGSTOP`) or by a tracer.
    public var isStopped: Bool { state == "T" || state == "t" }
    /// Ended, waiting to be reaped.
    public var isZombie: Bool { state == "Z" || state == "X" || state == "x" }

    /// Reads a process from /proc; `nil` when it does not exist.
    public static func read(pid: Int32) -> ProcessSnapshot? {
        guard pid > 0, let stat = ProcStat.read(pid: pid) else { return nil }
        let arguments = readArguments(pid: pid) ?? []
        return ProcessSnapshot(
            pid: pid, parentPID: stat.parentPID, processGroupID: stat.processGroupID,
            arguments: arguments, startSecondsSinceBoot: stat.startSecondsSinceBoot, state: stat.state)
    }

    /// `/proc/<pid>/cmdline` split at NULs; empty for kernel threads and zombies.
    static func readArguments(pid: Int32) -> [String]? {
        guard let data = FileManager.default.contents(atPath: "\(ProcStat.procRoot)/\(pid)/cmdline") else { return nil }
        return splitNUL(data)
    }

    static func splitNUL(_ data: Data) -> [String] {
        var parts = data.split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}
