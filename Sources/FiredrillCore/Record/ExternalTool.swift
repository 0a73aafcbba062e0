/// An external program or library a run talks through, whose version belongs in the record: only those the plan's
/// steps, probes and environment binding actually need.
public enum ExternalTool: String, Sendable, CaseIterable, Hashable, Comparable {
    case kubectl
    case aws
    case railway
    case libpq
    case pgbackrest

    public static func < (a: ExternalTool, b: ExternalTool) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The command that prints the version (argv), or nil for a library read in-process.
    public var versionCommand: [String]? {
        switch self {
        case .kubectl: return ["kubectl", "version", "--client"]
        case .aws: return ["aws", "--version"]
        case .railway: return ["railway", "--version"]
        case .pgbackrest: return ["pgbackrest", "version"]
        case .libpq: return nil
        }
    }

    /// The tool a driver works through: the catalog entry's `program` when it names one, else by its key.
    public static func forDriver(_ call: DriverCall) -> ExternalTool? {
        if let program = call.spec?.program, let tool = ExternalTool(rawValue: program) { return tool }
        return forDriver(call.key)
    }

    /// The tool a catalog key works through, when it works through one.
    public static func forDriver(_ key: String) -> ExternalTool? {
        if key.hasPrefix("kubernetes.") { return .kubectl }
        if key.hasPrefix("aws.") { return .aws }
        if key.hasPrefix("railway.") { return .railway }
        if key == "postgres" || key.hasPrefix("postgres.") || key == "flood.postgres" { return .libpq }
        return nil
    }

    /// Every tool `plan` needs, in a fixed order.
    public static func used(by plan: Plan) -> [ExternalTool] {
        var calls: [DriverCall] = []
        func walk(_ steps: [Step]) {
            for step in steps {
                switch step.action {
                case .driver(let call): calls.append(call)
                case .parallel(let children): walk(children)
                case .until(let until): calls.append(until.probe.call)
                case .wait, .manual: break
                }
            }
        }
        for section in plan.stepSections { walk(section.steps) }
        calls += (plan.steadyState + plan.guards + plan.effect + plan.verify + (plan.recovered.map { [$0] } ?? [])).map(\.call)
        var tools = Set(calls.compactMap { forDriver($0) })
        if plan.heartbeat != nil { tools.insert(.libpq) }
        switch plan.rpo {
        case .heartbeat?, .query?: tools.insert(.libpq)
        case .backup(let stanza, _)?: if stanza != nil { tools.insert(.pgbackrest) }
        case nil: break
        }
        if plan.environmentBinding?.kubeContext != nil { tools.insert(.kubectl) }
        if plan.environmentBinding?.awsAccount != nil { tools.insert(.aws) }
        return tools.sorted()
    }
}
