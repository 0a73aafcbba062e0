/// Renders docs/journal.md from `JournalEventType`: the line format, then every event type, when it is written,
/// its `step` member and its `data` fields. A test keeps the committed file equal to this output.
public enum JournalDocGenerator {
    public static func markdown() -> String {
        var out: [String] = [
            "# The run journal",
            "",
            "<!-- Generated from Sources/FiredrillCore/Journal/JournalEventType.swift: do not edit by hand. -->",
            "<!-- Rewrite with `FIREDRILL_UPDATE_DOCS=1 swift test --filter JournalDocGeneratorTests`. -->",
            "",
            "Every run writes `\(Journal.fileName)` in its run directory: one event per line, each line the canonical",
            "JSON of an object with the members `data`, `mono`, `prev`, `seq`, `step` (optional), `time` and `type`,",
            "hash-chained through `prev` and fsynced as it is written (see `JournalEvent` for the exact format).",
            "`firedrill verify` checks the chain; `firedrill report` and `firedrill recover` read the events below.",
            "",
            "A reader skips an event type it does not know, so a journal written by a later release still reads.",
            "",
            "## Event types",
            "",
            "| type | when it is written |",
            "|------|--------------------|",
        ]
        for type in JournalEventType.allCases {
            out.append("| [`\(type.rawValue)`](#\(anchor(type))) | \(cell(type.when)) |")
        }
        for type in JournalEventType.allCases {
            out.append("")
            out.append("### `\(type.rawValue)`")
            out.append("")
            out.append(type.when)
            out.append("")
            out.append("`step`: \(type.stepMember ?? "absent").")
            out.append("")
            if type.fields.isEmpty {
                out.append("`data`: empty.")
                continue
            }
            out.append("| field | type | meaning |")
            out.append("|-------|------|---------|")
            for field in type.fields {
                out.append("| `\(field.name)` | \(cell(field.type)) | \(cell(field.meaning)) |")
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// The GitHub-style anchor of an event's heading.
    static func anchor(_ type: JournalEventType) -> String {
        String(type.rawValue.filter { $0.isLetter || $0.isNumber || $0 == "-" })
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
