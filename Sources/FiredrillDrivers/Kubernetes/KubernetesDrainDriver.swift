import FiredrillCore

/// `kubernetes.drain`: cordons the picked nodes and evicts their pods; the uncordon is journaled first.
/// kubectl's own `--timeout` is set a little under the step's timeout.
public struct KubernetesDrainDriver: StepDriver {
    static let key = "kubernetes.drain"
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
