import FiredrillCore
import Foundation

/// The targets a run acts on, derived from the steps that act (method, disaster, recovery and failback; not
/// probes, not rollbacks, which undo what those steps did): a plan declares no target list, so each driver step is
/// named by its driver family and the parameters that identify what it touches.
///
/// - the family is the driver key without its action: `kubernetes`, `aws.ec2`, `aws.rds`, `railway`, `process`,
///   `flood` (a one-word key such as `postgres` or `http` is its own family);
/// - the identifying parameters are those in `identifying` the step sets, in that order; `kubernetes` steps get
///   `namespace=default` when they name none (except node steps), and the plan's bound `kube-context` /
///   `aws-account` when the step names no `context`;
/// - a `dsn` is reduced to `host:port/dbname`, a `url` to `host:port`; `process` and `network` steps (a pid, a
///   pattern, an interface or a listening address means something on one machine only) add the host name;
/// - a step with none of those parameters (`command`, `wait`, `http`…) names no target.
///
/// Two runs conflict when they name the same target: the same family and the same identifying values.
public enum PlanTargets {
    /// The parameters that identify what a step acts on, in the order a target shows them.
    public static let identifying = [
        "context", "kubeconfig", "namespace", "deployment", "statefulset", "node", "selector",
        "profile", "region", "endpoint-url", "cluster", "instance", "service", "ids", "tags", "replication-group", "hosted-zone", "record",
        "project", "environment", "pid", "pidfile", "match", "host", "port", "url", "dsn",
        "address", "interface", "listen",
    ]

    /// The targets of `plan`'s acting steps, each once, in a stable order. `resolve` substitutes `${…}` with
    /// secrets in clear (for the identity); `mask` hides secret values in the text shown.
    public static func targets(of plan: Plan, resolve: (String) -> String, mask: (String) -> String = { $0 },
                               hostName: String = ProcessInfo.processInfo.hostName) -> [PlanTarget] {
        var seen: Set<String> = []
        var result: [PlanTarget] = []
        for step in flatten(plan.method + plan.disaster + plan.recovery + plan.failback) {
            guard let target = target(of: step, plan: plan, resolve: resolve, mask: mask, hostName: hostName),
                  seen.insert(target.lockName).inserted else { continue }
            result.append(target)
        }
        return result.sorted { $0.text < $1.text }
    }

    /// The targets of `plan`'s acting steps, its vars and secrets resolved for the identity and masked in the text
    /// (the plan's secrets are read when they can be; a target that needs one it cannot read keeps the reference).
    public static func targets(of plan: Plan) -> [PlanTarget] {
        let resolver = (try? Resolver.forPlan(plan, readSecrets: true)) ?? (try? Resolver.forPlan(plan, readSecrets: false)) ?? Resolver()
        return targets(of: plan, resolve: { resolver.substitute($0, maskSecrets: false) }, mask: resolver.mask)
    }

    static func flatten(_ steps: [Step]) -> [DriverCall] {
        steps.flatMap { step -> [DriverCall] in
            switch step.action {
            case .driver(let call): return [call]
            case .wait, .manual: return []
            // An `until` step only watches; what it polls is a probe.
            case .until: return []
            case .parallel(let inner): return flatten(inner)
            }
        }
    }

    static func target(of call: DriverCall, plan: Plan, resolve: (String) -> String, mask: (String) -> String,
                       hostName: String) -> PlanTarget? {
        let parts = call.key.split(separator: ".")
        let family = parts.count > 1 ? parts.dropLast().joined(separator: ".") : call.key
        var defaults: [String: String] = [:]
        if family == "kubernetes" {
            // Node steps act on nodes, not on a namespace.
            if !["kubernetes.cordon", "kubernetes.drain"].contains(call.key) { defaults["namespace"] = "default" }
            if let context = plan.environmentBinding?.kubeContext { defaults["context"] = context }
        }
        var values: [String] = []
        // What is shown: the same, each value masked, but a DSN or URL reduced to its host, port (and database),
        // which is what names a target and no secret.
        var shown: [String] = []
        var explicit = false
        for name in identifying {
            var value: String?
            if let node = call.params[name], !node.isNull, let given = text(of: node, resolve: resolve) {
                value = given
                explicit = true
            } else {
                value = defaults[name]
            }
            guard let value else { continue }
            switch name {
            case "dsn":
                values.append("dsn=" + dsnIdentity(value))
                shown.append(values[values.count - 1])
            case "url":
                values.append("url=" + urlIdentity(value))
                shown.append(values[values.count - 1])
            default:
                values.append("\(name)=\(value)")
                shown.append("\(name)=\(mask(value))")
            }
        }
        guard explicit else { return nil }
        var scope: [String] = []
        if family.hasPrefix("aws"), let account = plan.environmentBinding?.awsAccount { scope.append("account=\(account)") }
        if family == "process" || family == "network" { scope.append("host=\(hostName)") }
        return PlanTarget(text: ([family] + scope + shown).joined(separator: " "), identity: ([family] + scope + values).joined(separator: " "))
    }

    /// A scalar as resolved; a list as its sorted items joined with commas; a map as sorted `key=value` pairs.
    static func text(of node: PlanNode, resolve: (String) -> String) -> String? {
        switch node.content {
        case .scalar(let s, _): return resolve(s)
        case .sequence(let items): return items.compactMap { text(of: $0, resolve: resolve) }.sorted().joined(separator: ",")
        case .mapping(let entries):
            return entries.compactMap { entry in text(of: entry.value, resolve: resolve).map { "\(entry.key)=\($0)" } }.sorted().joined(separator: ",")
        }
    }

    /// `host:port/dbname` of a PostgreSQL URI or conninfo string (port 5432 when not given): never its password.
    public static func dsnIdentity(_ dsn: String) -> String {
        var host = "localhost", port = "5432", database = ""
        if dsn.hasPrefix("postgresql://") || dsn.hasPrefix("postgres://") {
            if let components = URLComponents(string: dsn) {
                if let h = components.host, !h.isEmpty { host = h }
                if let p = components.port { port = String(p) }
                database = String(components.path.drop { $0 == "/" })
                for item in components.queryItems ?? [] {
                    switch item.name {
                    case "host": if let v = item.value, !v.isEmpty { host = v }
                    case "port": if let v = item.value, !v.isEmpty { port = v }
                    case "dbname": if let v = item.value, !v.isEmpty { database = v }
                    default: break
                    }
                }
            }
        } else {
            for pair in dsn.split(separator: " ") {
                let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
                guard parts.count == 2 else { continue }
                let value = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "'"))
                switch parts[0] {
                case "host", "hostaddr": host = value
                case "port": port = value
                case "dbname": database = value
                default: break
                }
            }
        }
        return "\(host):\(port)/\(database)"
    }

    /// `host:port` of a URL (the scheme's default port when not given).
    public static func urlIdentity(_ url: String) -> String {
        guard let components = URLComponents(string: url), let host = components.host else { return url }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        return "\(host):\(port)"
    }
}
