/// `count`, `percent`, `mode` and `if-none`: how a fault picks among the targets it found, within the plan's
/// `limits.max-targets`. Targets are resolved once, at the start of the step, and the pick is journaled.
public struct TargetSelection: Sendable {
    public enum Mode: String, Sendable {
        case random, oldest, newest, all
    }

    public var count: Int?
    public var percent: Double?
    public var mode: Mode
    public var skipIfNone: Bool

    public init(count: Int? = 1, percent: Double? = nil, mode: Mode = .random, skipIfNone: Bool = false) {
        self.count = count
        self.percent = percent
        self.mode = mode
        self.skipIfNone = skipIfNone
    }

    /// Reads the selection parameters of a driver (defaults from the catalog).
    public init(_ params: DriverParams) throws {
        let modeText = params.text("mode") ?? "random"
        guard let mode = Mode(rawValue: modeText) else {
            throw DriverError(params.key, "`mode` must be random, oldest, newest or all, got `\(modeText)`")
        }
        self.mode = mode
        self.percent = try params.percentage("percent")?.value
        self.count = params.has("percent") ? nil : try params.int("count")
        self.skipIfNone = params.text("if-none") == "skip"
    }

    /// Picks targets from `candidates`. `age` orders them: a smaller value is older.
    /// - Throws: when nothing matched (unless `if-none: skip`), or when the pick exceeds `maxTargets`, in which
    ///   case nothing has been touched.
    public func pick<T: Sendable>(_ candidates: [T], age: (T) -> Double, maxTargets: Int, driver: String, what: String) throws -> [T] {
        if candidates.isEmpty {
            if skipIfNone { return [] }
            throw DriverError(driver, "no \(what) matched; nothing was touched (set `if-none: skip` to allow this)")
        }
        let wanted: Int
        if mode == .all {
            wanted = candidates.count
        } else if let percent {
            wanted = max(1, Int((Double(candidates.count) * percent / 100).rounded(.up)))
        } else {
            wanted = min(count ?? 1, candidates.count)
        }
        if wanted > maxTargets {
            throw DriverError(driver, "would touch \(wanted) \(what), above limits.max-targets \(maxTargets); nothing was touched")
        }
        switch mode {
        case .oldest: return Array(candidates.sorted { age($0) < age($1) }.prefix(wanted))
        case .newest: return Array(candidates.sorted { age($0) > age($1) }.prefix(wanted))
        case .all: return candidates
        case .random:
            var generator = SystemRandomNumberGenerator()
            return Array(candidates.shuffled(using: &generator).prefix(wanted))
        }
    }
}
