import Foundation

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

    /// Undo intents in `events` with no matching `undo.done`, oldest first.
    public static func pendingUndos(in events: [JournalEvent]) -> [UndoLedger.Entry] {
        var open: [Int: UndoLedger.Entry] = [:]
        var order: [Int] = []
        for event in events {
            guard let id = event.data["id"]?.doubleValue.map(Int.init) else { continue }
            switch event.type {
            case "undo.intent":
                let action = UndoAction(key: event.data["key"]?.stringValue ?? "", params: event.data["params"] ?? .null,
                                        description: event.data["description"]?.stringValue ?? "")
                open[id] = UndoLedger.Entry(token: UndoToken(id: id), step: event.step ?? "", action: action, done: false)
                order.append(id)
            case "undo.done":
                open[id] = nil
            default:
                break
            }
        }
        return order.compactMap { open[$0] }
    }

    /// Earlier runs of `planName` under `root` that still owe undos or rollbacks, with what they owe.
    public static func unfinishedRuns(under root: String, planName: String) -> [(directory: String, pending: [UndoLedger.Entry])] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: root) else { return [] }
        var found: [(directory: String, pending: [UndoLedger.Entry])] = []
        for name in names.sorted() where name.hasSuffix("-" + planName) || name.contains("-" + planName + "-") {
            let dir = root + "/" + name
            guard let manifest = try? RunManifest.read(from: dir), manifest.planName == planName,
                  let contents = try? JournalReader.read(at: URL(fileURLWithPath: dir + "/" + Journal.fileName)) else { continue }
            let pending = pendingUndos(in: contents.events)
            let ended = contents.events.contains { $0.type == "run.ended" || $0.type == "recover.ended" }
            if !pending.isEmpty || !ended {
                found.append((dir, pending))
            }
        }
        return found
    }
}
