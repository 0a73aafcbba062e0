import ArgumentParser
import FiredrillCore
import Foundation

/// `firedrill annotate RUN_DIR` — lessons learned, deviations explained and action items, chained to the seal.
struct AnnotateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "annotate",
        abstract: "Add post-drill notes to annotations.jsonl: lessons learned, deviations explained, action items with owner and due date.",
        discussion: "Each note is one entry chained to the journal's seal and the entry before it, signed when a key is given; the reports are re-rendered with them."
    )

    @Argument(help: "The run directory.")
    var runDirectory: String

    @Option(name: .customLong("lesson"), help: "A lesson learned (repeatable).")
    var lessons: [String] = []

    @Option(name: .customLong("deviation"), help: "A deviation explained (repeatable).")
    var deviations: [String] = []

    @Option(help: "An action item; needs --owner and --due.")
    var action: String?

    @Option(help: "Who owns the action item.")
    var owner: String?

    @Option(help: "When the action item is due (YYYY-MM-DD).")
    var due: String?

    @Option(help: "Who writes the notes (default: the OS user@host).")
    var name: String?

    @OptionGroup var signing: SigningOptions

    @OptionGroup var anchor: EvidenceAnchorOption

    func validate() throws {
        if lessons.isEmpty, deviations.isEmpty, action == nil {
            throw ValidationError("nothing to add: give --lesson, --deviation or --action")
        }
        if action != nil {
            guard let owner, !owner.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("--action needs --owner NAME") }
            guard let due, Self.isDate(due) else { throw ValidationError("--action needs --due YYYY-MM-DD (a real date)") }
        } else if owner != nil || due != nil {
            throw ValidationError("--owner and --due belong to an --action")
        }
    }

    static func isDate(_ text: String) -> Bool {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let date = formatter.date(from: text) else { return false }
        return formatter.string(from: date) == text
    }

    func run() throws {
        let key = try signing.load()
        let target = try EvidenceTarget(runDirectory: runDirectory)
        let by = JSONValue.string(name ?? RunSession.initiator())
        var notes: [JSONValue] = lessons.map { ["kind": "lesson", "text": .string($0), "by": by] }
        notes += deviations.map { ["kind": "deviation", "text": .string($0), "by": by] }
        if let action, let owner, let due {
            notes.append(["kind": "action", "text": .string(action), "owner": .string(owner), "due": .string(due), "by": by])
        }
        for note in notes { try target.append(note, to: EvidenceLog.annotationsFile, key: key, anchorFile: anchor.anchorFile) }
    }
}
