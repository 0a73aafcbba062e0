extension PlanNode {
    /// A compact one-line YAML-like rendering: `{ url: http://x, count: 1 }`, used by `firedrill plan` and reports.
    public var inline: String {
        switch content {
        case .scalar(let s, _):
            let needsQuotes = s.isEmpty || s.contains(": ") || s.contains(",") || s.contains("{") || s.contains("[")
                || s.hasPrefix(" ") || s.hasSuffix(" ") || s.contains("#") || s.contains("\n")
            if needsQuotes {
                return "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                    .replacingOccurrences(of: "\n", with: "\\n") + "\""
            }
            return s
        case .sequence(let items): return "[" + items.map(\.inline).joined(separator: ", ") + "]"
        case .mapping(let entries): return "{ " + entries.map { "\($0.key): \($0.value.inline)" }.joined(separator: ", ") + " }"
        }
    }
}
