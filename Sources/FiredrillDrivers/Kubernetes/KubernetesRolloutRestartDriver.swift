import FiredrillCore

/// `kubernetes.rollout-restart`: `kubectl rollout restart` of a Deployment or StatefulSet.
public struct KubernetesRolloutRestartDriver: StepDriver, ProgramDriver {
    static let key = "kubernetes.rollout-restart"

    public static let spec = DriverSpec(
        "kubernetes.rollout-restart", role: .step, "Restarts a workload's pods with a rolling restart.",
        timeout: "2m",
        params: KubernetesParams.access + KubernetesParams.workload,
        rules: KubernetesParams.workloadRule,
        program: "kubectl"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [KubernetesParams.kubectl(try argv(p))]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
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
