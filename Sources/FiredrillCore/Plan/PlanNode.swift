/// A YAML node with its source location, kept after parsing so every later check can point at the exact spot.
///
/// Mapping keys keep their order and their own locations; duplicates are kept so the validator can report them.
public struct PlanNode: Sendable, Hashable {
    /// The shape of a node.
    public indirect enum Content: Sendable, Hashable {
        /// A scalar as written. `quoted` is true for `'…'`/`"…"` scalars, which are never numbers or booleans.
        case scalar(String, quoted: Bool)
        case sequence([PlanNode])
        case mapping([Entry])
    }

    /// One `key: value` pair of a mapping.
    public struct Entry: Sendable, Hashable {
        public var key: String
        public var keyLocation: SourceLocation
        public var value: PlanNode

        public init(key: String, keyLocation: SourceLocation, value: PlanNode) {
            self.key = key
            self.keyLocation = keyLocation
            self.value = value
        }
    }

    public var content: Content
    public var location: SourceLocation

    public init(_ content: Content, at location: SourceLocation) {
        self.content = content
        self.location = location
    }
}

extension PlanNode {
    /// The scalar text, or nil for a sequence or mapping.
    public var scalar: String? {
        if case .scalar(let text, _) = content { return text }
        return nil
    }

    /// True for a scalar written in quotes.
    public var isQuoted: Bool {
        if case .scalar(_, let quoted) = content { return quoted }
        return false
    }

    public var sequence: [PlanNode]? {
        if case .sequence(let items) = content { return items }
        return nil
    }

    public var entries: [Entry]? {
        if case .mapping(let entries) = content { return entries }
        return nil
    }

    /// The value of the first entry named `key`, if this is a mapping that has it.
    public subscript(key: String) -> PlanNode? {
        entries?.first { $0.key == key }?.value
    }

    /// The entry named `key`, with its key location.
    public func entry(_ key: String) -> Entry? {
        entries?.first { $0.key == key }
    }

    /// A YAML null: `~`, `null`, or nothing at all.
    public var isNull: Bool {
        if case .scalar(let text, let quoted) = content, !quoted {
            return text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL"
        }
        return false
    }

    /// What kind of node this is, in words for error messages.
    public var kindName: String {
        switch content {
        case .scalar(let text, let quoted):
            if isNull { return "nothing" }
            if !quoted, Double(text) != nil { return "a number" }
            if !quoted, ["true", "false", "yes", "no"].contains(text.lowercased()) { return "a boolean" }
            return "a string"
        case .sequence: return "a list"
        case .mapping: return "a map"
        }
    }
}
