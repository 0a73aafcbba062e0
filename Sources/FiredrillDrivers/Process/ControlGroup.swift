import Foundation

/// A cgroup directory and the processes in it and in every cgroup below it (each `cgroup.procs`).
/// This is how `unit:` and `cgroup:` name "every process of a service", the closest thing to a host crash.
struct ControlGroup: Sendable, Equatable {
    /// The cgroup's directory, for example `/sys/fs/cgroup/system.slice/nginx.service`.
    let directory: String

    /// Where cgroup hierarchies are mounted: the unified (v2) tree first, then the hybrid layouts.
    static let mountRoots = ["/sys/fs/cgroup/unified", "/sys/fs/cgroup/systemd", "/sys/fs/cgroup"]

    /// The unit types systemd gives cgroups to; a name with none of these suffixes is a `.service`.
    static let unitSuffixes = [".service", ".scope", ".slice", ".socket", ".mount", ".swap"]

    /// `nginx` → `nginx.service`; `nginx.service` and `session-2.scope` are kept.
    static func unitName(_ name: String) -> String {
        unitSuffixes.contains(where: { name.hasSuffix($0) }) ? name : name + ".service"
    }

    /// A cgroup given by path: absolute, or relative to a cgroup mount (`system.slice/nginx.service`).
    /// A mount root (the whole host) is refused: `cgroup: /` must not mean every process.
    static func at(path: String) throws(ProcessError) -> ControlGroup {
        let trimmed = path.split(separator: "/").joined(separator: "/")
        if trimmed.isEmpty || mountRoots.contains("/" + trimmed) {
            throw ProcessError.cgroupNotFound(name: "\(path) (a cgroup mount root is the whole host; name a unit's cgroup)", searched: [])
        }
        let candidates = path.hasPrefix("/") ? [path] : mountRoots.map { $0 + "/" + path }
        for candidate in candidates + (path.hasPrefix("/") ? mountRoots.map { $0 + path } : [])
        where FileManager.default.fileExists(atPath: candidate + "/cgroup.procs") {
            return ControlGroup(directory: candidate)
        }
        throw ProcessError.cgroupNotFound(name: path, searched: candidates)
    }

    /// A unit's cgroup: the `ControlGroup` systemd reports (when `controlGroup` is given and exists under a
    /// mount), else a directory named after the unit anywhere under the cgroup mounts (bounded search).
    static func of(unit: String, controlGroup: String?) throws(ProcessError) -> ControlGroup {
        let name = unitName(unit)
        if let controlGroup, !controlGroup.isEmpty, let found = try? at(path: controlGroup) { return found }
        for root in mountRoots where FileManager.default.fileExists(atPath: root + "/cgroup.procs") {
            if let found = search(root, for: name) { return ControlGroup(directory: found) }
        }
        throw ProcessError.cgroupNotFound(name: name, searched: mountRoots)
    }

    /// Breadth-first search for a directory named `name`, at most 8 levels deep and 20,000 directories.
    static func search(_ root: String, for name: String) -> String? {
        var queue: [(String, Int)] = [(root, 0)]
        var visited = 0
        while !queue.isEmpty, visited < 20_000 {
            let (directory, depth) = queue.removeFirst()
            visited += 1
            for entry in subdirectories(of: directory) {
                let path = directory + "/" + entry
                if entry == name { return path }
                if depth < 8 { queue.append((path, depth + 1)) }
            }
        }
        return nil
    }

    static func subdirectories(of directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.sorted().filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: directory + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
        }
    }

    /// The pids in this cgroup and every cgroup below it (at most 8 levels down), each once, in the order read.
    func pids() -> [Int32] {
        var result: [Int32] = []
        var seen: Set<Int32> = []
        var queue: [(String, Int)] = [(directory, 0)]
        var visited = 0
        while !queue.isEmpty, visited < 10_000 {
            let (dir, depth) = queue.removeFirst()
            visited += 1
            let text = (try? String(contentsOfFile: dir + "/cgroup.procs", encoding: .utf8)) ?? ""
            for line in text.split(separator: "\n") {
                if let pid = Int32(line.trimmingCharacters(in: .whitespaces)), pid > 0, seen.insert(pid).inserted { result.append(pid) }
            }
            if depth < 8 { queue += Self.subdirectories(of: dir).map { (dir + "/" + $0, depth + 1) } }
        }
        return result
    }
}
