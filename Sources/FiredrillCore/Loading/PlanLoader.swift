import Foundation

/// Loads and validates a plan file in one pass, collecting every diagnostic rather than stopping at the first.
public struct PlanLoader {
    let path: String
    var diagnostics: [Diagnostic] = []
    /// `vars:` values, used to check values that reference them.
    var variables: [String: String] = [:]
    var secretNames: Set<String> = []
    /// Every step name and where it was declared, to report duplicates and check `${steps.…}`.
    var stepNames: [String: SourceLocation] = [:]
    var autoNameCounter: [String: Int] = [:]
    /// Steady-state probe names, for `use:`.
    var probeNames: Set<String> = []
    /// The steady-state probes, for `until: { probe: { use: NAME } }` in steps.
    var steadyStateProbes: [ProbeSpec] = []
    /// Names the plan references as `${name}`, so a `--var` for one it never declares still counts as known.
    var referencedVariables: Set<String> = []

    /// Vars given on the command line (`--var k=v`); they win over the plan's `vars:`.
    let overrides: [String: String]
    /// Whether an override naming no var of the plan is an error (it is, except when one set of `--var`s is
    /// checked against many plans).
    let strictOverrides: Bool
    /// The drivers plans may name.
    let catalog: DriverCatalog

    init(path: String, catalog: DriverCatalog, overrides: [String: String] = [:], strictOverrides: Bool = true) {
        self.path = path
        self.catalog = catalog
        self.overrides = overrides
        self.variables = overrides
        self.strictOverrides = strictOverrides
    }

    /// Reads and validates the plan at `path`.
    public static func load(path: String, catalog: DriverCatalog, overrides: [String: String] = [:], strictOverrides: Bool = true) -> LoadResult {
        guard let data = FileManager.default.contents(atPath: path) else {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
            let why = !exists ? "no such file" : isDirectory.boolValue ? "it is a directory" : "permission denied"
            let d = Diagnostic(at: SourceLocation(file: path, line: 1, column: 1), "cannot read the plan: \(why)")
            return LoadResult(path: path, text: "", plan: nil, diagnostics: [d])
        }
        return load(data: data, path: path, catalog: catalog, overrides: overrides, strictOverrides: strictOverrides)
    }

    /// Validates plan text already in memory; `path` is what diagnostics show.
    public static func load(data: Data, path: String, catalog: DriverCatalog, overrides: [String: String] = [:], strictOverrides: Bool = true) -> LoadResult {
        let (root, text, yamlDiagnostics) = YAMLReader(path: path).read(data)
        guard let root else {
            return LoadResult(path: path, text: text, plan: nil, diagnostics: yamlDiagnostics)
        }
        var loader = PlanLoader(path: path, catalog: catalog, overrides: overrides, strictOverrides: strictOverrides)
        let plan = loader.build(root, text: text)
        let sorted = loader.diagnostics.sorted {
            ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column)
        }
        let hasErrors = sorted.contains { $0.severity == .error }
        return LoadResult(path: path, text: text, plan: hasErrors ? nil : plan, diagnostics: Self.capped(sorted))
    }

    /// The most diagnostics kept for one file; a hostile file can otherwise produce one per character.
    static let maxDiagnostics = 100

    /// The first `maxDiagnostics` diagnostics, and one more saying how many were left out.
    static func capped(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        guard diagnostics.count > maxDiagnostics, let last = diagnostics.prefix(maxDiagnostics).last else { return diagnostics }
        let more = diagnostics.count - maxDiagnostics
        return Array(diagnostics.prefix(maxDiagnostics)) + [
            Diagnostic(at: last.location, "\(more) more problem\(more == 1 ? "" : "s") in this file not shown", hint: "fix the ones above first"),
        ]
    }

    mutating func error(_ at: SourceLocation, _ message: String, hint: String? = nil, length: Int = 1) {
        diagnostics.append(Diagnostic(.error, at: at, message, hint: hint, length: length))
    }

    mutating func build(_ root: PlanNode, text: String) -> Plan {
        guard let entries = root.entries else {
            error(root.location, "a plan is a map of keys (apiVersion, kind, name…), but this is \(root.kindName)")
            return Plan(path: path, text: text, kind: .experiment, name: "")
        }
        checkKeys(entries, allowed: PlanSchema.topLevel.map(\.name), context: "a plan")
        let kindNode = root["kind"]
        var kind = PlanKind.experiment
        if let kindNode {
            if let k = kindNode.scalar.flatMap(PlanKind.init(rawValue:)) {
                kind = k
            } else {
                error(kindNode.location, "unknown kind `\(kindNode.scalar ?? kindNode.kindName)`: a plan is an `Experiment` or a `Drill`",
                      hint: Suggestion.hint(for: kindNode.scalar ?? "", in: ["Experiment", "Drill"]))
            }
        }
        for spec in PlanSchema.topLevel where spec.required && root.entry(spec.name) == nil {
            error(root.location, "missing required key `\(spec.name)` (\(spec.summary))")
        }
        if let v = root["apiVersion"], v.scalar != "firedrill/v1" {
            error(v.location, "unsupported apiVersion `\(v.scalar ?? v.kindName)`", hint: "this Firedrill reads `apiVersion: firedrill/v1`")
        }
        for entry in entries {
            if kind == .experiment, PlanSchema.drillOnly.contains(entry.key) {
                error(entry.keyLocation, "`\(entry.key)` belongs to a Drill, but this plan is an Experiment", hint: "set `kind: Drill`, or remove `\(entry.key)`")
            } else if kind == .drill, entry.key == "effect" {
                error(entry.keyLocation, "`effect` belongs to an Experiment, but this plan is a Drill",
                      hint: "a drill's `recovered` probe already checks that the disaster caused an outage (see `expect-outage`)", length: entry.key.count)
            } else if kind == .drill, PlanSchema.experimentOnly.contains(entry.key) {
                error(entry.keyLocation, "a Drill has no `method`: its steps go in `disaster` and `recovery`", hint: "rename `method` to `disaster`")
            }
        }

        var plan = Plan(path: path, text: text, kind: kind, name: "")
        plan.apiVersion = root["apiVersion"]?.scalar ?? "firedrill/v1"
        if let n = root["name"] {
            plan.name = string(n, "name") ?? ""
            let valid = !plan.name.isEmpty && plan.name.count <= 63
                && plan.name.allSatisfy({ ($0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" })
                && plan.name.first != "-"
            if !valid, n.scalar != nil {
                error(n.location, "invalid name `\(plan.name)`: use lowercase letters, digits and '-' (at most 63)",
                      hint: "for example `\(slug(plan.name))`")
            }
        }
        plan.title = root["title"].flatMap { string($0, "title") } ?? plan.name
        plan.description = root["description"].flatMap { string($0, "description") }
        plan.owner = root["owner"].flatMap { string($0, "owner") }
        plan.tags = root["tags"].map { stringList($0, "tags") } ?? []
        if let node = root["environment"] {
            (plan.environment, plan.environmentBinding) = loadEnvironment(node)
        }
        plan.participants = root["participants"].map { stringList($0, "participants") } ?? []

        if let node = root["vars"] { plan.vars = loadVariables(node) }
        if let node = root["secrets"] { plan.secrets = loadSecrets(node) }
        if let node = root["runbook"] { plan.runbook = loadRunbook(node) }
        collectStepNames(root)
        checkReferences(root)
        if strictOverrides { checkOverrides(root, declared: Set(plan.vars.map(\.name))) }

        if let node = root["limits"] { plan.limits = loadLimits(node) }
        if let node = root["schedule"] { plan.schedule = loadSchedule(node) }
        if let node = root["notify"] { plan.notify = loadNotify(node) }
        if let node = root["objectives"] { plan.objectives = loadObjectives(node) }

        plan.steadyState = probeList(root["steady-state"], section: "steady-state", allowUse: false)
        probeNames = Set(plan.steadyState.map(\.name))
        steadyStateProbes = plan.steadyState
        plan.guards = probeList(root["guards"], section: "guards", allowUse: true, steadyState: plan.steadyState)
        if kind == .experiment, let node = root["effect"] {
            plan.effect = probeList(node, section: "effect", allowUse: true, steadyState: plan.steadyState)
            if node.isNull || node.sequence?.isEmpty == true {
                error(node.location, "`effect` is empty: list at least one probe that passes once the fault has hit, or remove `effect`",
                      hint: "for example `effect: [ { tcp: { host: 127.0.0.1, port: 8080 }, expect: { connected: false }, every: 200ms } ]`")
            }
        }
        plan.method = stepList(root["method"], section: "method")
        plan.rollbacks = stepList(root["rollbacks"], section: "rollbacks")

        if kind == .drill {
            loadDrillSections(root, into: &plan)
        } else if let method = root["method"], method.isNull || method.sequence?.isEmpty == true {
            error(method.location, "`method` is empty: an Experiment needs at least one step that injects the fault")
        } else if root["method"] == nil {
            error(kindLocation(root), "an Experiment needs a `method`: the steps that inject the fault",
                  hint: "for example `method: [ { process.kill: { match: worker } } ]`")
        }
        return plan
    }

    mutating func loadDrillSections(_ root: PlanNode, into plan: inout Plan) {
        plan.disaster = stepList(root["disaster"], section: "disaster")
        plan.recovery = stepList(root["recovery"], section: "recovery")
        plan.failback = stepList(root["failback"], section: "failback")
        plan.verify = probeList(root["verify"], section: "verify", allowUse: true, steadyState: plan.steadyState)
        if let disaster = root["disaster"], disaster.isNull || disaster.sequence?.isEmpty == true {
            error(disaster.location, "`disaster` is empty: a Drill needs at least one step that causes the outage")
        } else if root["disaster"] == nil {
            error(kindLocation(root), "a Drill needs a `disaster`: the steps that cause the outage",
                  hint: "for example `disaster: [ { process.kill: { pidfile: …/postmaster.pid, signal: KILL } } ]`")
        }
        if !plan.disaster.isEmpty, plan.disaster.allSatisfy({ if case .manual = $0.action { return true } else { return false } }),
           let node = root["disaster"] {
            error(node.location, "`disaster` has only operator steps: a Drill needs at least one step that causes the outage",
                  hint: "`manual` steps at the head of `disaster` run before the injection (the RTO clock starts after them)")
        }
        if let node = root["recovered"] {
            plan.recovered = probe(node, section: "recovered", index: nil, allowUse: true, steadyState: plan.steadyState)
        } else {
            error(kindLocation(root), "a Drill needs `recovered`: the probe whose passes stop the RTO clock",
                  hint: "for example `recovered: { http: { url: … }, expect: { status: 200 }, every: 1s, consecutive: 3 }`")
        }
        if root["objectives"] == nil {
            error(kindLocation(root), "a Drill needs `objectives`: at least one of `rto` and `rpo`", hint: "for example `objectives: { rto: 15m, rpo: 5s }`")
        } else if let node = root["objectives"], node.entries != nil, node["rto"] == nil, node["rpo"] == nil {
            error(node.location, "`objectives` must set `rto`, `rpo` or both")
        }
        if let node = root["expect-outage"], let expect = boolean(node, "expect-outage") { plan.expectOutage = expect }
        if let node = root["heartbeat"] { plan.heartbeat = loadHeartbeat(node) }
        if let node = root["rpo"] { plan.rpo = loadRPO(node) }
        if plan.objectives?.rpo != nil, root["rpo"] == nil, let node = root["objectives"]?.entry("rpo") {
            error(node.keyLocation, "an `rpo` objective needs an `rpo:` section saying how data loss is measured",
                  hint: "add `rpo: { heartbeat: { dsn: … } }`, `rpo: { query: … }` or `rpo: { backup: … }`")
        }
        if case .heartbeat = plan.rpo, plan.heartbeat == nil, let node = root.entry("rpo") {
            error(node.keyLocation, "`rpo: heartbeat` reads markers that a `heartbeat:` section writes, but the plan has none")
        }
    }

    /// Where a missing kind-specific section is reported: the `kind:` line that requires it.
    func kindLocation(_ root: PlanNode) -> SourceLocation {
        root.entry("kind")?.keyLocation ?? root.location
    }

    /// Reports duplicate keys and unknown keys (with a suggestion) in one mapping.
    mutating func checkKeys(_ entries: [PlanNode.Entry], allowed: [String], context: String) {
        var seen: [String: SourceLocation] = [:]
        let known = Set(allowed)
        for entry in entries {
            if let first = seen[entry.key] {
                error(entry.keyLocation, "duplicate key `\(entry.key)` in \(context) (first set at line \(first.line))",
                      hint: "a key may appear once; the second value would silently replace the first", length: entry.key.count)
            } else {
                seen[entry.key] = entry.keyLocation
            }
            if !known.contains(entry.key) {
                let hint = Suggestion.hint(for: entry.key, in: allowed) ?? "known keys: \(allowed.joined(separator: ", "))"
                error(entry.keyLocation, "unknown key `\(entry.key)` in \(context)", hint: hint, length: entry.key.count)
            }
        }
    }

    func slug(_ text: String) -> String {
        let lowered = text.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return String(lowered).split(separator: "-").joined(separator: "-")
    }
}
