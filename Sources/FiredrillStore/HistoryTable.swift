import FiredrillCore
import FiredrillReport
import Foundation

/// `firedrill history` as a table, in the manner of `kubectl get`: upper-case headers, one run per row, `-` for
/// what is not known, `<none>` never.
public enum HistoryTable {
    public static func render(_ runs: [RunRecord]) -> String {
        var rows: [[String]] = [["PLAN", "STARTED (UTC)", "ENV", "ENDING", "DURATION", "RTO", "RPO", "RUN BY"]]
        for run in runs {
            rows.append([
                run.plan, started(run.startedAt), run.environment, run.ending ?? "in progress",
                run.endedEpoch.map { ReportText.seconds($0 - run.startedEpoch) } ?? "-",
                objective(run.objective("RTO")), objective(run.objective("RPO")), run.runBy,
            ])
        }
        return TextTable.render(rows)
    }

    /// `2026-11-22 03:15`.
    static func started(_ text: String) -> String {
        var bytes = Array(text.utf8.prefix(16))
        if bytes.count > 10, bytes[10] == UInt8(ascii: "T") { bytes[10] = UInt8(ascii: " ") }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `42.000s/1m 00.0s MET`, `-/60s NOT MEASURED`, `-`.
    static func objective(_ objective: ObjectiveRecord?) -> String {
        guard let objective else { return "-" }
        let achieved = objective.achievedSeconds.map(ReportText.seconds) ?? "-"
        let target = objective.targetSeconds.map(ReportText.seconds) ?? "-"
        return "\(achieved)/\(target) \(objective.verdict)"
    }
}
