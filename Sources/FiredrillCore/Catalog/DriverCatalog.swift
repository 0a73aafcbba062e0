/// The one list of every probe and step driver Firedrill knows.
public enum DriverCatalog {
    /// Every driver, in the order the docs present them.
    public static let all: [DriverSpec] =
        probes + control + process + flood + kubernetes + aws + railway

    private static let byKey: [String: DriverSpec] = {
        var map: [String: DriverSpec] = [:]
        for spec in all { map[spec.key] = spec }
        return map
    }()

    public static func spec(_ key: String) -> DriverSpec? { byKey[key] }

    /// The driver's default timeout, or nil when it has none (`none`: bounded by `limits.duration`) or is unknown.
    public static func defaultTimeout(_ key: String) -> Duration? {
        guard let text = byKey[key]?.defaultTimeout, text != "none" else { return nil }
        return try? DurationSyntax.parse(text)
    }

    /// Every key usable in the given role.
    public static func keys(for role: DriverRole) -> [String] {
        all.filter { $0.role.contains(role) }.map(\.key)
    }

    /// Target selection parameters shared by every fault that picks among several targets.
    static func selection(defaultCount: String? = "1") -> [ParamSpec] {
        [
            ParamSpec("count", .integer(min: 1, max: nil), default: defaultCount, "how many of the matching targets to pick"),
            ParamSpec("percent", .percentage, "pick this share of the matching targets (rounded up, at least one)"),
            ParamSpec("mode", .enumeration(["random", "oldest", "newest", "all"]), default: "random", "how targets are picked"),
            ParamSpec("if-none", .enumeration(["fail", "skip"]), default: "fail", "what an empty selection does"),
        ]
    }

    static let selectionRules: [ParamRule] = [.atMostOne(["count", "percent"])]
}
