/// A YAML document built in order and written out readably: block style for sections, flow style (`{ a: b }`)
/// for short maps and lists of scalars, `|` blocks for multi-line text, comments where they help, no empty keys.
/// Every string is quoted unless it is unmistakably a plain word, so nothing is read back as another type.
public indirect enum ImportedYAML: Sendable, Equatable {
    /// A string, quoted when YAML could read it as anything else.
    case string(String)
    /// A number or boolean, written as is.
    case literal(String)
    case list([ImportedYAML])
    /// Entries in order; a comment, when given, is written on the line above the entry.
    case map([Entry])

    public struct Entry: Sendable, Equatable {
        public var key: String
        public var value: ImportedYAML
        public var comment: String?

        public init(_ key: String, _ value: ImportedYAML, comment: String? = nil) {
            self.key = key
            self.value = value
            self.comment = comment
        }
    }

    public static func number(_ value: Double) -> ImportedYAML {
        value.rounded() == value && abs(value) < 1e15 ? .literal(String(Int64(value))) : .literal(String(value))
    }

    /// The document, ending with a newline.
    public func render() -> String {
        var lines: [String] = []
        if case .map(let entries) = self {
            for entry in entries { Self.block(entry, indent: "", into: &lines) }
        } else {
            lines.append(inline ?? "")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    var isEmpty: Bool {
        switch self {
        case .list(let items): return items.isEmpty
        case .map(let entries): return entries.isEmpty
        case .string, .literal: return false
        }
    }

    /// The value on one line (`{ a: 1, b: [x, y] }`), when it is short and has no multi-line text.
    var inline: String? {
        switch self {
        case .string(let s): return s.contains("\n") ? nil : Self.quote(s)
        case .literal(let s): return s
        case .list(let items):
            let parts = items.compactMap(\.inline)
            guard parts.count == items.count else { return nil }
            return "[" + parts.joined(separator: ", ") + "]"
        case .map(let entries):
            guard entries.allSatisfy({ $0.comment == nil }) else { return nil }
            let parts = entries.compactMap { e in e.value.inline.map { Self.key(e.key) + ": " + $0 } }
            guard parts.count == entries.count else { return nil }
            return parts.isEmpty ? "{}" : "{ " + parts.joined(separator: ", ") + " }"
        }
    }

    static func block(_ entry: Entry, indent: String, into lines: inout [String]) {
        if let comment = entry.comment {
            for line in comment.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(indent + "#" + (line.isEmpty ? "" : " " + line))
            }
        }
        let head = indent + key(entry.key) + ":"
        switch entry.value {
        case .string(let s) where s.contains("\n"):
            lines.append(head + " |")
            for line in s.split(separator: "\n", omittingEmptySubsequences: false).dropLast(s.hasSuffix("\n") ? 1 : 0) {
                lines.append(line.isEmpty ? "" : indent + "  " + line)
            }
        case .list(let items) where !items.isEmpty:
            if let flat = entry.value.inline, flat.count + head.count < 100, items.allSatisfy(\.isScalar) {
                lines.append(head + " " + flat)
            } else {
                lines.append(head)
                for item in items { listItem(item, indent: indent + "  ", into: &lines) }
            }
        case .map(let entries) where !entries.isEmpty:
            if let flat = entry.value.inline, flat.count + head.count < 110 {
                lines.append(head + " " + flat)
            } else {
                lines.append(head)
                for e in entries { block(e, indent: indent + "  ", into: &lines) }
            }
        default:
            lines.append(head + " " + (entry.value.inline ?? "\"\""))
        }
    }

    static func listItem(_ item: ImportedYAML, indent: String, into lines: inout [String]) {
        switch item {
        case .map(let entries) where !entries.isEmpty:
            var nested: [String] = []
            for e in entries { block(e, indent: indent + "  ", into: &nested) }
            // The first line of the map goes after the dash (comments stay above it).
            if let first = nested.firstIndex(where: { !$0.trimmingLeadingSpaces.hasPrefix("#") }) {
                for line in nested[..<first] { lines.append(indent + line.trimmingLeadingSpaces) }
                lines.append(indent + "- " + nested[first].trimmingLeadingSpaces)
                lines.append(contentsOf: nested[(first + 1)...])
            }
        default:
            lines.append(indent + "- " + (item.inline ?? "\"\""))
        }
    }

    var isScalar: Bool {
        switch self {
        case .string(let s): return !s.contains("\n")
        case .literal: return true
        default: return false
        }
    }

    static func key(_ k: String) -> String { plain(k) ? k : quote(k) }

    /// A YAML double-quoted string: valid YAML because JSON string escapes are.
    static func quote(_ s: String) -> String {
        plain(s) ? s : "\"" + escape(s) + "\""
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]

    /// A word YAML can only read as this string: letters, digits and `_ . / -` inside, starting with a letter or
    /// `/`, not a boolean or null word, not a number; or a duration or percentage (`5s`, `50%`), or a flag
    /// (`--silent`).
    static func plain(_ s: String) -> Bool {
        if s.wholeMatch(of: /[0-9]+(\.[0-9]+)?(us|ms|s|m|h|d|%)/) != nil { return true }
        if s.wholeMatch(of: /--?[A-Za-z][A-Za-z0-9_.-]*/) != nil { return true }
        guard let first = s.unicodeScalars.first, !s.isEmpty, s.count <= 200 else { return false }
        guard ("a"..."z").contains(first) || ("A"..."Z").contains(first) || first == "/" else { return false }
        guard !reserved.contains(s.lowercased()) else { return false }
        return s.unicodeScalars.allSatisfy { c in
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || "_./-".unicodeScalars.contains(c)
        }
    }
}

extension String {
    var trimmingLeadingSpaces: String { String(drop { $0 == " " }) }
}
