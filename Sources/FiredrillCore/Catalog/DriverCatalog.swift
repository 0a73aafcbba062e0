/// The list of every probe and step driver a build knows, handed to the loader, the schema and docs generators
/// and `firedrill plan` as a value. Core knows no driver: the drivers module assembles the catalog from the
/// drivers it registers, and tests can build a small one.
public struct DriverCatalog: Sendable {
    /// Every driver, in the order the docs present them.
    public let all: [DriverSpec]
    private let byKey: [String: DriverSpec]

    public init(_ specs: [DriverSpec]) {
        all = specs
        var map: [String: DriverSpec] = [:]
        for spec in specs where map[spec.key] == nil { map[spec.key] = spec }
        byKey = map
    }

    public func spec(_ key: String) -> DriverSpec? { byKey[key] }

    /// The driver's default timeout, or nil when it has none (`none`: bounded by `limits.duration`) or is unknown.
    public func defaultTimeout(_ key: String) -> Duration? {
        byKey[key]?.defaultTimeoutDuration
    }

    /// Every key usable in the given role.
    public func keys(for role: DriverRole) -> [String] {
        all.filter { $0.role.contains(role) }.map(\.key)
    }

    /// Target selection parameters shared by every fault that picks among several targets.
    public static func selection(defaultCount: String? = "1") -> [ParamSpec] {
        [
            ParamSpec("count", .integer(min: 1, max: nil), default: defaultCount, "how many of the matching targets to pick"),
            ParamSpec("percent", .percentage, "pick this share of the matching targets (rounded up, at least one)"),
            ParamSpec("mode", .enumeration(["random", "oldest", "newest", "all"]), default: "random", "how targets are picked"),
            ParamSpec("if-none", .enumeration(["fail", "skip"]), default: "fail", "what an empty selection does"),
        ]
    }

    public static let selectionRules: [ParamRule] = [.atMostOne(["count", "percent"])]
}
