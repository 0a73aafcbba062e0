/// An external program or library a run talks through, whose version belongs in the record: only those the plan's
/// steps, probes and environment binding actually need.
public enum ExternalTool: String, Sendable, CaseIterable, Hashable, Comparable {
    case kubectl
    case aws
    case railway
    case libpq

    public static func < (a: ExternalTool, b: ExternalTool) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// The command that prints the version (argv), or nil for a library read in-process.
    public var versionCommand: [String]? {
        switch self {
        case .kubectl: return ["kubectl", "version", "--client"]
        case .aws: return ["aws", "--version"]
        case .railway: return ["railway", "--version"]
        case .libpq: return nil
        }
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
        var keys: [String] = []
        func walk(_ steps: [Step]) {
            for step in steps {
                switch step.action {
                case .driver(let call): keys.append(call.key)
                case .parallel(let children): walk(children)
                case .wait: break
                }
            }
        }
        for section in plan.stepSections { walk(section.steps) }
        keys += (plan.steadyState + plan.guards + plan.effect + plan.verify + (plan.recovered.map { [$0] } ?? [])).map(\.call.key)
        var tools = Set(keys.compactMap(forDriver))
        if plan.heartbeat != nil { tools.insert(.libpq) }
        switch plan.rpo {
        case .heartbeat?, .query?: tools.insert(.libpq)
        default: break
        }
        if plan.environmentBinding?.kubeContext != nil { tools.insert(.kubectl) }
        if plan.environmentBinding?.awsAccount != nil { tools.insert(.aws) }
        return tools.sorted()
    }
}
