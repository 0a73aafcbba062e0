import FiredrillCore

/// `kubernetes.rollout-restart`: `kubectl rollout restart` of a Deployment or StatefulSet.
public struct KubernetesRolloutRestartDriver: StepDriver {
    static let key = "kubernetes.rollout-restart"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
        let (kind, name) = try Kubectl.workload(p)
        let result = try await Kubectl(key: Self.key, environment: environment).run(try Self.argv(p), context: context)
        return StepOutcome(output: ["workload": .string("\(kind)/\(name)"), "stdout": .string(result.stdout)],
                           summary: "restarted \(kind)/\(name)")
    }

    static func argv(_ p: DriverParams) throws -> [String] {
        let (kind, name) = try Kubectl.workload(p)
        return ["rollout", "restart", "\(kind)/\(name)"] + Kubectl.access(p)
    }
}
