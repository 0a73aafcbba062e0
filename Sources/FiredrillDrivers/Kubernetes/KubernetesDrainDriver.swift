import FiredrillCore

/// `kubernetes.drain`: cordons the picked nodes and evicts their pods; the uncordon is journaled first.
/// kubectl's own `--timeout` is set a little under the step's timeout.
public struct KubernetesDrainDriver: StepDriver, ProgramDriver {
    static let key = "kubernetes.drain"

    public static let spec = DriverSpec(
        "kubernetes.drain", role: .step, "Cordons nodes and evicts their pods.",
        timeout: "10m",
        params: KubernetesParams.nodes + [
            ParamSpec("grace", .duration, "pod termination grace period"),
            ParamSpec("ignore-daemonsets", .boolean, default: "true", "`--ignore-daemonsets`"),
            ParamSpec("delete-emptydir-data", .boolean, default: "false", "`--delete-emptydir-data`"),
        ] + DriverCatalog.selection(),
        rules: KubernetesParams.nodeRules,
        undo: "uncordon",
        program: "kubectl"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        let targets = KubernetesNodeTargets(key: key, params: p, kubectl: Kubectl(key: key, environment: environment))
        return [KubernetesParams.kubectl(try targets.listArgv()),
                KubernetesParams.kubectl(try argv(p, nodes: [Kubectl.resolvedAtRunTime], timeoutSeconds: nil))]
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        try await KubernetesNodeTargets.preview(key: key, p, environment: environment)
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let targets = KubernetesNodeTargets(key: Self.key, params: p, kubectl: Kubectl(key: Self.key, environment: environment))
        let nodes = try await targets.resolve(context: context)
        if nodes.isEmpty { return StepOutcome(output: ["targets": []], summary: "no schedulable node matched; skipped") }
        _ = try await context.willApply(targets.uncordonUndo(nodes))
        let argv = try Self.argv(p, nodes: nodes, timeoutSeconds: Kubectl.ownTimeoutSeconds(context.timeout))
        let result = try await targets.kubectl.run(argv, context: context)
        return StepOutcome(output: ["targets": .array(nodes.map { .string($0) }), "stdout": .string(result.stdout)],
                           summary: "drained \(nodes.joined(separator: ", "))")
    }

    /// - Parameter timeoutSeconds: kubectl's `--timeout`; nil renders the placeholder `<step timeout>`.
    static func argv(_ p: DriverParams, nodes: [String], timeoutSeconds: Int?) throws -> [String] {
        var args = ["drain"]
        if try p.bool("ignore-daemonsets") { args.append("--ignore-daemonsets") }
        if try p.bool("delete-emptydir-data") { args.append("--delete-emptydir-data") }
        if let grace = try p.duration("grace") { args.append("--grace-period=\(Kubectl.graceSeconds(grace))") }
        args.append("--timeout=\(timeoutSeconds.map { "\($0)s" } ?? "<step timeout>")")
        return args + Kubectl.access(p, namespaced: false) + (try Kubectl.operands(nodes, key: p.key, what: "node"))
    }
}
