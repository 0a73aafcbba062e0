/// What a driver is for: observing (a probe), changing something (a fault or an action), or both.
public struct DriverRole: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// May appear in `steady-state`, `guards`, `recovered` and `verify`.
    public static let probe = DriverRole(rawValue: 1)
    /// May appear as a step in `method`, `disaster`, `recovery`, `failback` and `rollbacks`.
    public static let step = DriverRole(rawValue: 2)
}

/// The declaration of one driver key (`http`, `process.kill`, `kubernetes.pod-delete`…).
///
/// The catalog of these is the single list of drivers: validation, `firedrill schema`, `firedrill plan` and the
/// format reference are all generated from it.
public struct DriverSpec: Sendable, Hashable {
    public var key: String
    public var role: DriverRole
    public var summary: String
    public var params: [ParamSpec]
    public var rules: [ParamRule]
    /// The timeout used when the plan gives none.
    public var defaultTimeout: String
    /// What undoes this fault, when it undoes itself; nil when it has no undo.
    public var undo: String?
    /// The fields a probe observes, with their kinds, which `expect` maps can name.
    public var fields: [ProbeField]
    /// The external program this driver shells out to, if any (`kubectl`, `aws`, `railway`).
    public var program: String?
    /// How a plain (non-map) value is read: `wait: 5m` is `wait: { for: 5m }`.
    public var shorthand: String?

    public init(
        _ key: String,
        role: DriverRole,
        _ summary: String,
        timeout: String,
        params: [ParamSpec],
        rules: [ParamRule] = [],
        undo: String? = nil,
        fields: [ProbeField] = [],
        program: String? = nil,
        shorthand: String? = nil
    ) {
        self.key = key
        self.role = role
        self.summary = summary
        self.params = params
        self.rules = rules
        self.defaultTimeout = timeout
        self.undo = undo
        self.fields = fields
        self.program = program
        self.shorthand = shorthand
    }

    /// The default timeout as a duration, or nil when it has none (`none`: bounded by `limits.duration`).
    public var defaultTimeoutDuration: Duration? {
        guard defaultTimeout != "none" else { return nil }
        return try? DurationSyntax.parse(defaultTimeout)
    }

    public func param(_ name: String) -> ParamSpec? {
        params.first { $0.name == name }
    }

    /// The fields a call of this probe observes: a field whose kind depends on a parameter (`metric`) takes it from
    /// the call, and a field of the query's kind takes the plan's `unit:` when one is given.
    /// These parameters are read here, by the loader and the probe runner, not by the driver: a test's
    /// `ParamReadLog` records them as read by this key.
    public func observedFields(_ params: PlanNode) -> [ProbeField] {
        let reads = ParamReadLog.current
        return fields.map { field in
            var field = field
            for (param, kinds) in field.kindByParam {
                reads?.record(key, param)
                if let value = params[param]?.scalar, let kind = kinds[value] { field.kind = kind }
            }
            if field.kind == .dynamic {
                reads?.record(key, "unit")
                if let unit = params["unit"]?.scalar, let kind = FieldKind(rawValue: unit), FieldKind.declarable.contains(kind) {
                    field.kind = kind
                }
            }
            return field
        }
    }

    /// The family a driver belongs to: the part of its key before the first dot.
    public var family: String {
        key.split(separator: ".").first.map(String.init) ?? key
    }
}
