/// Typed access to a driver's resolved parameters, falling back to the catalog's defaults. Values were checked by
/// the validator; what can still fail here (a value that came from the environment at run time) throws a
/// `DriverError` naming the parameter.
public struct DriverParams: Sendable {
    public let key: String
    public let node: PlanNode
    public let spec: DriverSpec?
    /// Where reads are recorded, when a test asked for it.
    let reads: ParamReadLog?

    /// The parameters of a driver that declares its own spec.
    public init(spec: DriverSpec, node: PlanNode) {
        self.init(key: spec.key, node: node, spec: spec)
    }

    public init(key: String, node: PlanNode, spec: DriverSpec?) {
        self.key = key
        self.node = node
        self.spec = spec
        self.reads = ParamReadLog.current
    }

    /// The scalar text given, or the catalog default.
    public func text(_ name: String) -> String? {
        reads?.record(key, name)
        if let value = node[name], !value.isNull { return value.scalar }
        return spec?.param(name)?.defaultValue
    }

    public func has(_ name: String) -> Bool {
        reads?.record(key, name)
        return node[name].map { !$0.isNull } ?? false
    }

    public func string(_ name: String) throws -> String {
        guard let v = text(name), !v.isEmpty else { throw DriverError(key, "`\(name)` is required") }
        return v
    }

    public func optionalString(_ name: String) -> String? {
        text(name).flatMap { $0.isEmpty ? nil : $0 }
    }

    public func int(_ name: String) throws -> Int? {
        guard let t = text(name) else { return nil }
        guard let v = Int(t) else { throw DriverError(key, "`\(name)` must be a whole number, got `\(t)`") }
        // A value that came from the environment at run time gets the bounds the validator applies.
        var bounds: (min: Int?, max: Int?) = (nil, ParamType.largestInteger)
        switch spec?.param(name)?.type {
        case .integer(let lo, let hi)?: bounds = (lo, hi ?? ParamType.largestInteger)
        case .countOrMax?: bounds = (1, ParamType.largestCount)
        default: break
        }
        if let lo = bounds.min, v < lo { throw DriverError(key, "`\(name)` is \(v), below the minimum of \(lo)") }
        if let hi = bounds.max, v > hi { throw DriverError(key, "`\(name)` is \(v), above the maximum of \(hi)") }
        return v
    }

    public func bool(_ name: String) throws -> Bool {
        guard let t = text(name) else { return false }
        switch t.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw DriverError(key, "`\(name)` must be true or false, got `\(t)`")
        }
    }

    public func duration(_ name: String) throws -> Duration? {
        guard let t = text(name) else { return nil }
        do { return try DurationSyntax.parse(t) } catch { throw DriverError(key, "`\(name)`: \(error.message) (got `\(t)`)") }
    }

    public func rate(_ name: String) throws -> Rate? {
        guard let t = text(name) else { return nil }
        do { return try Rate.parse(t) } catch { throw DriverError(key, "`\(name)`: \(error.message) (got `\(t)`)") }
    }

    public func percentage(_ name: String) throws -> Percentage? {
        guard let t = text(name) else { return nil }
        do { return try Percentage.parse(t) } catch { throw DriverError(key, "`\(name)`: \(error.message) (got `\(t)`)") }
    }

    public func list(_ name: String) -> [String]? {
        reads?.record(key, name)
        return node[name]?.sequence?.compactMap(\.scalar)
    }

    public func map(_ name: String) -> [(String, String)] {
        reads?.record(key, name)
        return node[name]?.entries?.compactMap { e in e.value.scalar.map { (e.key, $0) } } ?? []
    }
}
