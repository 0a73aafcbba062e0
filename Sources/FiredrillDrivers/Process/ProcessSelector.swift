import Foundation

/// Finds local processes by pid, by pidfile or by a regular expression over their command line.
/// Results are ordered oldest first (then by pid) and never include zombies.
public struct ProcessSelector: Sendable {
    /// How a plan names its target processes.
    public enum Criterion: Sendable, Hashable, CustomStringConvertible {
        case pid(Int32)
        /// A file whose first line is a pid (PostgreSQL's `postmaster.pid` qualifies).
        case pidfile(String)
        /// A regular expression searched in `/proc/<pid>/cmdline`, NULs read as spaces.
        case match(String)
        /// Every process in a cgroup and the cgroups below it; `label` is how the plan named it.
        case cgroup(directory: String, label: String)

        public var description: String {
            switch self {
            case .pid(let pid): "pid \(pid)"
            case .pidfile(let path): "pidfile \(path)"
            case .match(let pattern): "processes matching /\(pattern)/"
            case .cgroup(let directory, let label): "\(label) (cgroup \(directory))"
            }
        }
    }

    public init() {}

    /// The processes named by `criterion`. A pid (or a pidfile's pid) that is not running
    /// gives an empty list; a missing or malformed pidfile and a bad pattern are errors.
    public func select(_ criterion: Criterion) throws(ProcessError) -> [ProcessSnapshot] {
        switch criterion {
        case .pid(let pid): process(pid: pid)
        case .pidfile(let path): try processes(inPidfile: path)
        case .match(let pattern): try processes(matching: pattern)
        case .cgroup(let directory, _): processes(inCgroup: ControlGroup(directory: directory))
        }
    }

    public func process(pid: Int32) -> [ProcessSnapshot] {
        guard let snapshot = ProcessSnapshot.read(pid: pid), !snapshot.isZombie else { return [] }
        return [snapshot]
    }

    public func processes(inPidfile path: String) throws(ProcessError) -> [ProcessSnapshot] {
        process(pid: try Self.readPidfile(path))
    }

    /// Every live process whose command line matches, except this process and its ancestors
    /// (whose command lines usually contain the pattern itself).
    public func processes(matching pattern: String) throws(ProcessError) -> [ProcessSnapshot] {
        let regex: Regex<AnyRegexOutput>
        do {
            regex = try Regex(pattern)
        } catch {
            throw ProcessError.invalidPattern(pattern: pattern, reason: String(describing: error))
        }
        let excluded = Self.selfAndAncestors()
        var found: [ProcessSnapshot] = []
        for pid in ProcStat.allPIDs() where !excluded.contains(pid) {
            guard let snapshot = ProcessSnapshot.read(pid: pid), !snapshot.isZombie,
                  !snapshot.commandLine.isEmpty, snapshot.commandLine.contains(regex)
            else { continue }
            found.append(snapshot)
        }
        return found.sorted { ($0.startSecondsSinceBoot, $0.pid) < ($1.startSecondsSinceBoot, $1.pid) }
    }

    /// Every live process of a cgroup (and the cgroups below it), oldest first, except this process and its ancestors.
    func processes(inCgroup group: ControlGroup) -> [ProcessSnapshot] {
        let excluded = Self.selfAndAncestors()
        return group.pids().filter { !excluded.contains($0) }
            .compactMap { ProcessSnapshot.read(pid: $0) }.filter { !$0.isZombie }
            .sorted { ($0.startSecondsSinceBoot, $0.pid) < ($1.startSecondsSinceBoot, $1.pid) }
    }

    /// The pid on the first line of a pidfile.
    public static func readPidfile(_ path: String) throws(ProcessError) -> Int32 {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "not readable as text" : "no such file"
            throw ProcessError.pidfileUnreadable(path: path, reason: reason)
        }
        let firstLine = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        let trimmed = firstLine.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pid = Int32(trimmed), pid > 0 else {
            throw ProcessError.pidfileInvalid(path: path, firstLine: String(trimmed.prefix(80)))
        }
        return pid
    }

    static func selfAndAncestors() -> Set<Int32> {
        var result: Set<Int32> = []
        var pid = getpid()
        // Bounded: a process chain is never deeper than this.
        for _ in 0..<256 where pid > 0 && result.insert(pid).inserted {
            guard let stat = ProcStat.read(pid: pid) else { break }
            pid = stat.parentPID
        }
        return result
    }
}
