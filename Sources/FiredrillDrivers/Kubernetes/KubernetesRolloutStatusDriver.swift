import FiredrillCore

/// `kubernetes.rollout-status`: as a step, waits until a workload's rollout completes (kubectl's own `--timeout` is
/// set a little under the step's timeout, so a rollout that does not finish fails with kubectl's explanation); as a
/// probe, asks once without waiting (`--watch=false`) and passes only when kubectl says the rollout is complete.
public struct KubernetesRolloutStatusDriver: StepDriver, ProbeDriver, ProgramDriver {
    static let key = "kubernetes.rollout-status"

    public static let spec = DriverSpec(
        "kubernetes.rollout-status", role: [.step, .probe], "Waits until a workload's rollout completes.",
        timeout: "10m",
        params: KubernetesParams.access + KubernetesParams.workload,
        rules: KubernetesParams.workloadRule,
        fields: [
            ProbeField("exit-code", .number, "kubectl's exit code"),
            ProbeField("stdout", .string, "kubectl's output"),
        ],
        program: "kubectl"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [KubernetesParams.kubectl(try argv(p, timeoutSeconds: nil))]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let (kind, name) = try Kubectl.workload(p)
        let argv = try Self.argv(p, timeoutSeconds: Kubectl.ownTimeoutSeconds(context.timeout))
        let result = try await Kubectl(key: Self.key, environment: environment).run(argv, context: context)
        return StepOutcome(output: ["exit-code": .number(Double(result.exitCode ?? 0)), "stdout": .string(result.stdout)],
                           summary: "\(kind)/\(name) rolled out" + CommandDriver.excerpt(result.stdout))
    }

    /// One look at the rollout: kubectl answers at once with either "successfully rolled out" or what it is
    /// still waiting for; only the former passes.
    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = Self.params(params)
        let (kind, name) = try Kubectl.workload(p)
        let argv = ["rollout", "status", "\(kind)/\(name)", "--watch=false"] + Kubectl.access(p)
        let result = try await Kubectl(key: Self.key, environment: environment).run(argv, context: context)
        let complete = result.stdout.contains("successfully rolled out")
        let line = result.stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        return Observation(value: ["exit-code": .number(Double(result.exitCode ?? 0)), "stdout": .string(result.stdout)],
                           summary: complete ? "\(kind)/\(name) rolled out" : "\(kind)/\(name) not rolled out: \(line)", ok: complete)
    }

    /// - Parameter timeoutSeconds: kubectl's `--timeout`; nil renders the placeholder `<step timeout>`.
    static func argv(_ p: DriverParams, timeoutSeconds: Int?) throws -> [String] {
        let (kind, name) = try Kubectl.workload(p)
        let timeout = timeoutSeconds.map { "\($0)s" } ?? "<step timeout>"
        return ["rollout", "status", "\(kind)/\(name)", "--timeout=\(timeout)"] + Kubectl.access(p)
    }
}
