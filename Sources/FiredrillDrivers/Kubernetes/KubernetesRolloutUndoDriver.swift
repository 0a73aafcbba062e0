import FiredrillCore

/// `kubernetes.rollout-undo`: rolls a workload back to its previous revision, or to `to-revision`.
public struct KubernetesRolloutUndoDriver: StepDriver {
    static let key = "kubernetes.rollout-undo"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
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
