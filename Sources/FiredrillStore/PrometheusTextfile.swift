import FiredrillCore
import Foundation

/// The Prometheus text exposition of the latest run of each plan, for node_exporter's textfile collector, written
/// atomically (a temporary file in the same folder, then `rename(2)`) so the collector never reads half a file.
public enum PrometheusTextfile {
    /// Every ending a run can have; `firedrill_run_ending` is 1 for the one the last run had and 0 for the others.
    public static let endings = ["passed", "deviated", "aborted", "failed", "interrupted", "not-started", "recovered", "unfinished"]

    /// The exposition of `latest` (one record per plan), sorted by plan.
    public static func render(_ latest: [RunRecord]) -> String {
        let runs = latest.sorted { $0.plan < $1.plan }
        var out = ""
        func family(_ name: String, _ help: String, _ samples: [(labels: [(String, String)], value: Double)]) {
            out += "# HELP \(name) \(help)\n# TYPE \(name) gauge\n"
            for sample in samples {
                let labels = sample.labels.map { "\($0.0)=\"\(escape($0.1))\"" }.joined(separator: ",")
                out += "\(name){\(labels)} \(format(sample.value))\n"
            }
        }
        family("firedrill_run_ending", "Ending of the plan's last run: 1 for the ending it had, 0 for the others.",
               runs.flatMap { run in
                   endings.map { ending in ([("plan", run.plan), ("environment", run.environment), ("ending", ending)], (run.ending ?? "unfinished") == ending ? 1.0 : 0.0) }
               })
        family("firedrill_last_run_timestamp_seconds", "Start of the plan's last run, seconds since 1970.",
               runs.map { ([("plan", $0.plan), ("environment", $0.environment)], $0.startedEpoch) })
        for (name, objective) in [("firedrill_rto_seconds", "RTO"), ("firedrill_rpo_seconds", "RPO")] {
            family(name, "\(objective) achieved by the plan's last run (measured), and its objective.",
                   runs.flatMap { run -> [(labels: [(String, String)], value: Double)] in
                       guard let o = run.objective(objective) else { return [] }
                       var samples: [(labels: [(String, String)], value: Double)] = []
                       if let achieved = o.achievedSeconds { samples.append(([("plan", run.plan), ("environment", run.environment), ("kind", "measured")], achieved)) }
                       if let target = o.targetSeconds { samples.append(([("plan", run.plan), ("environment", run.environment), ("kind", "objective")], target)) }
                       return samples
                   })
        }
        return out
    }

    /// Writes `text` to `path` atomically.
    public static func write(_ text: String, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "." : folder) + "/." + (path as NSString).lastPathComponent + ".\(getpid()).tmp"
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw StoreError("cannot write the metrics file \(path): \(reason)")
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError("cannot write the metrics file \(path): \(error.localizedDescription)")
        }
    }

    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
