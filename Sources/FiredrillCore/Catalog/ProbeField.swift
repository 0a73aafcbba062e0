/// One field a probe observes, which `expect` maps can name: its kind (and so its unit) and meaning.
public struct ProbeField: Sendable, Hashable {
    public var name: String
    public var kind: FieldKind
    public var summary: String
    /// The field's kind when a parameter has a given value: `metric: replication-lag` makes `value` a duration.
    /// Keyed by parameter name, then value.
    public var kindByParam: [String: [String: FieldKind]]

    public init(_ name: String, _ kind: FieldKind, _ summary: String, kindByParam: [String: [String: FieldKind]] = [:]) {
        self.name = name
        self.kind = kind
        self.summary = summary
        self.kindByParam = kindByParam
    }

    /// The kind as the docs and the schema describe it, with the kinds parameters give it.
    public var kindSummary: String {
        var text = kind.summary
        for (param, kinds) in kindByParam.sorted(by: { $0.key < $1.key }) {
            for (value, k) in kinds.sorted(by: { $0.key < $1.key }) { text += "; \(k.rawValue) with `\(param): \(value)`" }
        }
        return text
    }
}
