import FiredrillCore
import Foundation

/// The console's one line on a run's journal: sealed, unfinished or truncated, or TAMPERED; and who signed it.
enum JournalSummaryLine {
    static func text(runDirectory: String) -> String {
        guard let contents = try? JournalReader.read(at: URL(fileURLWithPath: runDirectory + "/" + Journal.fileName)) else {
            return "journal: cannot be read"
        }
        let audit = JournalAuditor.audit(contents)
        return "journal: \(audit.headline); \(audit.signingText)"
    }
}
