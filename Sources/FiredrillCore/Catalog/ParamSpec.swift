/// One parameter a driver accepts: its name, type, default and meaning.
public struct ParamSpec: Sendable, Hashable {
    public var name: String
    public var type: ParamType
    public var required: Bool
    /// The default, written as a user would write it in YAML.
    public var defaultValue: String?
    public var summary: String
    /// A warning the validator shows when the parameter is set to true (`insecure-skip-verify`).
    public var caution: String?

    public init(_ name: String, _ type: ParamType, required: Bool = false, default defaultValue: String? = nil, _ summary: String) {
        self.name = name
        self.type = type
        self.required = required
        self.defaultValue = defaultValue
        self.summary = summary
    }

    /// This parameter, warning `text` whenever a plan sets it to true.
    public func cautioned(_ text: String) -> ParamSpec {
        var copy = self
        copy.caution = text
        return copy
    }
}

/// A rule over several parameters of one driver.
public enum ParamRule: Sendable, Hashable {
    /// Exactly one of these must be given.
    case exactlyOne([String])
    /// At most one of these may be given.
    case atMostOne([String])
    /// When the first is given, each of the others must be given too (`listen` needs `upstream`).
    case requires(String, [String])

    public var names: [String] {
        switch self {
        case .exactlyOne(let names), .atMostOne(let names): return names
        case .requires(let name, let needed): return [name] + needed
        }
    }
}
