import Foundation

/// A plan description split into what the reports render: paragraphs and Markdown lists (`- item`, `* item`,
/// `+ item`, `1. item`, `1) item`). Within a blank-line-separated block, the lines before the first list item are a
/// paragraph; after it, a line without a marker continues the item above. Text is kept unescaped: each report
/// escapes it for its own format.
enum DescriptionBlock: Equatable {
    case paragraph(String)
    case list(ordered: Bool, items: [String])

    static func parse(_ text: String) -> [DescriptionBlock] {
        var blocks: [DescriptionBlock] = []
        for chunk in text.components(separatedBy: "\n\n") {
            var paragraph: [String] = []
            var items: [String] = []
            var ordered = false
            func flushList() {
                if !items.isEmpty { blocks.append(.list(ordered: ordered, items: items)) }
                items = []
            }
            for raw in chunk.split(separator: "\n", omittingEmptySubsequences: true) {
                let line = raw.trimmingCharacters(in: .whitespaces)
                guard !line.isEmpty else { continue }
                if let (isOrdered, rest) = marker(line) {
                    if items.isEmpty {
                        if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
                        paragraph = []
                        ordered = isOrdered
                    } else if isOrdered != ordered {
                        flushList()
                        ordered = isOrdered
                    }
                    items.append(rest)
                } else if !items.isEmpty {
                    items[items.count - 1] += " " + line
                } else {
                    paragraph.append(line)
                }
            }
            flushList()
            if !paragraph.isEmpty { blocks.append(.paragraph(paragraph.joined(separator: " "))) }
        }
        return blocks
    }

    /// `- text` → (false, "text"); `2. text` → (true, "text"); nil for a line that starts no item.
    private static func marker(_ line: String) -> (Bool, String)? {
        if let first = line.first, "-*+".contains(first), line.dropFirst().first == " " {
            return (false, String(line.dropFirst(2)).trimmingCharacters(in: .whitespaces))
        }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 9 else { return nil }
        let after = line.dropFirst(digits.count)
        guard let punct = after.first, punct == "." || punct == ")", after.dropFirst().first == " " else { return nil }
        return (true, String(after.dropFirst(2)).trimmingCharacters(in: .whitespaces))
    }
}
