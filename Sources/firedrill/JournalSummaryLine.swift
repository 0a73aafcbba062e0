import FiredrillCore
import Foundation

/// The console's one line on a run's journal: sealed, unfinished or truncated, or TAMPERED; and who signed it.
enum JournalSummaryLine {
    static func text(runDirectory: String) -> String {
        // One pass that keeps no events, so a long journal costs its file size, not a tree per event.
        var auditor = JournalAuditor()
        guard let verification = try? JournalReader.forEachEvent(at: URL(fileURLWithPath: runDirectory + "/" + Journal.fileName), { auditor.consume($0) }) else {
            return "journal: cannot be read"
        }
        let audit = auditor.finish(verification: verification)
        return "journal: \(audit.headline); \(audit.signingText)"
    }
}
