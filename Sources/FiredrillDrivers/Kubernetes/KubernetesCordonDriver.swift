import FiredrillCore

/// `kubernetes.cordon`: marks the picked nodes unschedulable; the uncordon is journaled first.
public struct KubernetesCordonDriver: StepDriver {
    static let key = "kubernetes.cordon"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
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
