import FiredrillCore

/// `kubernetes.cordon`: marks the picked nodes unschedulable; the uncordon is journaled first.
public struct KubernetesCordonDriver: StepDriver, ProgramDriver {
    static let key = "kubernetes.cordon"

    public static let spec = DriverSpec(
        "kubernetes.cordon", role: .step, "Marks nodes unschedulable.",
        timeout: "1m",
        params: KubernetesParams.nodes + DriverCatalog.selection(),
        rules: KubernetesParams.nodeRules,
        undo: "uncordon",
        program: "kubectl"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        let targets = KubernetesNodeTargets(key: key, params: p, kubectl: Kubectl(key: key, environment: environment))
        return [KubernetesParams.kubectl(try targets.listArgv()), KubernetesParams.kubectl(try argv(p, nodes: [Kubectl.resolvedAtRunTime]))]
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
        try await targets.kubectl.run(try Self.argv(p, nodes: nodes), context: context)
        return StepOutcome(output: ["targets": .array(nodes.map { .string($0) })],
                           summary: "cordoned \(nodes.joined(separator: ", "))")
    }

    static func argv(_ p: DriverParams, nodes: [String]) throws -> [String] {
        ["cordon"] + Kubectl.access(p, namespaced: false) + (try Kubectl.operands(nodes, key: p.key, what: "node"))
    }
}
