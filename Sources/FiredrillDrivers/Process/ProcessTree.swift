import Foundation

/// The descendants of processes, found through the parent links in `/proc/<pid>/stat`.
enum ProcessTree {
    /// `roots` and every live descendant of each, parents before children (breadth first), each once.
    /// The runner and its ancestors are never included, whatever the roots are.
    static func expand(_ roots: [ProcessSnapshot]) -> [ProcessSnapshot] {
        var children: [Int32: [Int32]] = [:]
        for pid in ProcStat.allPIDs() {
            guard let stat = ProcStat.read(pid: pid), !stat.isZombie else { continue }
            children[stat.parentPID, default: []].append(pid)
        }
        return expand(roots, children: children, excluded: ProcessSelector.selfAndAncestors())
    }

    static func expand(_ roots: [ProcessSnapshot], children: [Int32: [Int32]], excluded: Set<Int32>) -> [ProcessSnapshot] {
        var seen: Set<Int32> = excluded
        var result: [ProcessSnapshot] = []
        var queue: [ProcessSnapshot] = roots.filter { seen.insert($0.pid).inserted }
        result.append(contentsOf: queue)
        // Bounded: every pid is visited at most once.
        while !queue.isEmpty {
            let parent = queue.removeFirst()
            for pid in (children[parent.pid] ?? []).sorted() where seen.insert(pid).inserted {
                guard let snapshot = ProcessSnapshot.read(pid: pid), !snapshot.isZombie else { continue }
                result.append(snapshot)
                queue.append(snapshot)
            }
        }
        return result
    }

    /// Whether `pid` is still the process that was snapshot (same start time), so a signal never reaches a
    /// process that reused its pid.
    static func isSame(_ snapshot: ProcessSnapshot) -> Bool {
        guard let now = ProcStat.read(pid: snapshot.pid), !now.isZombie else { return false }
        return abs(now.startSecondsSinceBoot - snapshot.startSecondsSinceBoot) < 0.05
    }
}
