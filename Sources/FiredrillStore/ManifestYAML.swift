import Yams

/// A YAML document built in order and serialised by Yams, so every value is quoted as YAML needs: what a human
/// reads in a manifest is what Kubernetes parses.
public indirect enum ManifestYAML: Sendable {
    case string(String)
    case int(Int)
    case bool(Bool)
    /// A multi-line text as a literal block (`|`).
    case text(String)
    case list([ManifestYAML])
    case map([(String, ManifestYAML)])

    /// The document as YAML text.
    public func yaml() throws -> String {
        try Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true)
    }

    var node: Node {
        switch self {
        case .string(let s):
            return Node.scalar(.init(s, Tag(.str), Self.plainIsSafe(s) ? .plain : .doubleQuoted))
        case .int(let n):
            return Node.scalar(.init(String(n), Tag(.int), .plain))
        case .bool(let b):
            return Node.scalar(.init(b ? "true" : "false", Tag(.bool), .plain))
        case .text(let s):
            return Node.scalar(.init(s, Tag(.str), .literal))
        case .list(let items):
            return Node.sequence(.init(items.map(\.node)))
        case .map(let pairs):
            return Node.mapping(.init(pairs.map { (Node.scalar(.init($0.0, Tag(.str), Self.plainIsSafe($0.0) ? .plain : .doubleQuoted)), $0.1.node) }))
        }
    }

    /// Whether `s` reads back as the same string when written plain: names and paths, not numbers, booleans,
    /// nulls or anything with YAML punctuation.
    static func plainIsSafe(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "/" else { return false }
        let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]
        guard !reserved.contains(s.lowercased()) else { return false }
        return s.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._/-".unicodeScalars.contains($0) }
    }
}
