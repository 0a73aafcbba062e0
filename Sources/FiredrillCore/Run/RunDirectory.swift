import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Where runs live (`reports/<UTC timestamp>-<plan name>/`) and what earlier runs still owe.
public enum RunDirectory {
    /// Creates a fresh run directory under `root`, named by the UTC start time and the plan name.
    public static func create(under root: String, planName: String, at date: Date = Date()) throws -> String {
        // 2026-11-22T03:15:00.123456Z → 20261122T031500Z (no DateFormatter: it loads ICU, megabytes of it).
        let stamp = JournalClock.rfc3339(microseconds: Int64(date.timeIntervalSince1970 * 1_000_000))
            .prefix(19).filter { $0 != "-" && $0 != ":" } + "Z"
        let base = root + "/" + stamp + "-" + planName
        var path = base
        var n = 1
        while FileManager.default.fileExists(atPath: path) {
            n += 1
            path = "\(base)-\(n)"
        }
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The run directory's lock file: held by its live runner, or by `recover` while it works.
    public static let lockFileName = "runner.lock"
    /// Under a reports root: one line per run started from it, wherever its directory is (`--report-dir`), so the
    /// owed-undo check finds every run of a plan.
    public static let indexFileName = ".firedrill-runs.jsonl"

    /// The plan lock under `root`: held by the one run of `planName` allowed at a time.
    public static func planLockPath(root: String, planName: String) -> String {
        root + "/.locks/" + planName + ".lock"
    }

    /// Records `directory` (absolute) as a run of `planName` in the index under `root`: one line, one `write(2)`
    /// with `O_APPEND`, so concurrent runs never interleave.
    public static func index(_ directory: String, planName: String, root: String) throws {
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let entry: JSONValue = ["plan": .string(planName), "dir": .string(absolute(directory))]
        let line = entry.canonicalJSON() + "\n"
        let fd = open(root + "/" + indexFileName, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw RunError("cannot record the run in \(root)/\(indexFileName): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard StandardStreams.write(fd, line) else {
            throw RunError("cannot record the run in \(root)/\(indexFileName): \(String(cString: strerror(errno)))")
        }
    }

    static func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
    }

    /// Undo intents in `events` with no matching `undo.done`, oldest first. An intent journaled by a restoration
    /// (a rollback or failback step: `restoration: true`) is never owed: undoing it would reverse the restoration.
    public static func pendingUndos(in events: [JournalEvent]) -> [UndoLedger.Entry] {
        var open: [Int: UndoLedger.Entry] = [:]
        var order: [Int] = []
        for event in events {
            if let intent = UndoIntentRecord(event), let id = intent.id {
                guard !intent.restoration else { continue }
                let action = UndoAction(key: intent.key ?? "", params: intent.params ?? .null,
                                        description: intent.description ?? "", cleanup: intent.cleanup)
                open[id] = UndoLedger.Entry(token: UndoToken(id: id), step: event.step ?? "", action: action, done: false)
                order.append(id)
            } else if event.is(.undoDone), let id = UndoClosedRecord(event)?.id {
                open[id] = nil
            }
        }
        return order.compactMap { open[$0] }
    }

    /// Whether the run reached a phase that injects anything (or journaled an undo): a run that did not owes nothing.
    public static func injected(in events: [JournalEvent]) -> Bool {
        events.contains {
            $0.is(.undoIntent)
                || ["method", "disaster"].contains(PhaseStartedRecord($0)?.phase ?? "")
        }
    }

    /// An earlier run of a plan that is still running, or died owing something.
    public struct EarlierRun: Sendable {
        public var directory: String
        /// Set when a live process holds the run directory's lock.
        public var live: ProcessLock.State
        public var pending: [UndoLedger.Entry]
        public var ended: Bool

        public var isLive: Bool { live != .free }
    }

    /// Earlier runs of `planName` (of every plan when nil) that are in progress or still owe undos or rollbacks:
    /// every run directory under `root` and every one the index under `root` names (runs written elsewhere with
    /// `--report-dir`). A run that died before it injected anything owes nothing and is not listed.
    public static func unfinishedRuns(under root: String, planName: String?, excluding current: String? = nil) -> [EarlierRun] {
        var directories: [String] = []
        if let names = try? FileManager.default.contentsOfDirectory(atPath: root) {
            for name in names.sorted() where !name.hasPrefix(".") {
                if let planName, !(name.hasSuffix("-" + planName) || name.contains("-" + planName + "-")) { continue }
                directories.append(absolute(root + "/" + name))
            }
        }
        directories += indexedRuns(under: root, planName: planName)
        var seen = Set<String>()
        var found: [EarlierRun] = []
        for dir in directories where seen.insert((dir as NSString).standardizingPath).inserted {
            if let current, (absolute(current) as NSString).standardizingPath == (dir as NSString).standardizingPath { continue }
            guard let manifest = try? RunManifest.read(from: dir), planName == nil || manifest.planName == planName else { continue }
            let live = ProcessLock.state(dir + "/" + lockFileName)
            guard let contents = try? JournalReader.read(at: URL(fileURLWithPath: dir + "/" + Journal.fileName)) else {
                if live != .free { found.append(EarlierRun(directory: dir, live: live, pending: [], ended: false)) }
                continue
            }
            let pending = pendingUndos(in: contents.events)
            let ended = contents.events.contains { $0.is(.runEnded) || $0.is(.recoverEnded) }
            if live != .free || !pending.isEmpty || (!ended && injected(in: contents.events)) {
                found.append(EarlierRun(directory: dir, live: live, pending: pending, ended: ended))
            }
        }
        return found
    }

    /// The run directories the index under `root` lists for `planName` (for every plan when nil), oldest first.
    static func indexedRuns(under root: String, planName: String?) -> [String] {
        guard let data = FileManager.default.contents(atPath: root + "/" + indexFileName) else { return [] }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let entry = Array(line).withUnsafeBytes({ try? JSONValue.parse(utf8: $0) }),
                  planName == nil || entry["plan"]?.stringValue == planName else { return nil }
            return entry["dir"]?.stringValue
        }
    }
}
