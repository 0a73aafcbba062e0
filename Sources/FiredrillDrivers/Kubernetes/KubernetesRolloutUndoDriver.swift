import FiredrillCore

/// `kubernetes.rollout-undo`: rolls a workload back to its previous revision, or to `to-revision`.
public struct KubernetesRolloutUndoDriver: StepDriver, ProgramDriver {
    static let key = "kubernetes.rollout-undo"

    public static let spec = DriverSpec(
        "kubernetes.rollout-undo", role: .step, "Rolls a workload back to its previous (or a given) revision.",
        timeout: "2m",
        params: KubernetesParams.access + KubernetesParams.workload + [
            ParamSpec("to-revision", .integer(min: 1, max: nil), "the revision to roll back to"),
        ],
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
        let target = try p.int("to-revision").map { "revision \($0)" } ?? "the previous revision"
        return StepOutcome(output: ["workload": .string("\(kind)/\(name)"), "stdout": .string(result.stdout)],
                           summary: "rolled \(kind)/\(name) back to \(target)")
    }

    static func argv(_ p: DriverParams) throws -> [String] {
        let (kind, name) = try Kubectl.workload(p)
        var args = ["rollout", "undo", "\(kind)/\(name)"]
        if let revision = try p.int("to-revision") { args.append("--to-revision=\(revision)") }
        return args + Kubectl.access(p)
    }
}
