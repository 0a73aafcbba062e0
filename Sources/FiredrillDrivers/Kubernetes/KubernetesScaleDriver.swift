import FiredrillCore

/// `kubernetes.scale`: reads the workload's current `.spec.replicas`, journals the undo that restores it, then
/// scales to `replicas`.
public struct KubernetesScaleDriver: StepDriver, ProgramDriver {
    static let key = "kubernetes.scale"

    public static let spec = DriverSpec(
        "kubernetes.scale", role: .step, "Sets a workload's replica count.",
        timeout: "2m",
        params: KubernetesParams.access + KubernetesParams.workload + [
            ParamSpec("replicas", .integer(min: 0, max: nil), required: true, "the new replica count"),
        ],
        rules: KubernetesParams.workloadRule,
        undo: "the previous replica count restored",
        program: "kubectl"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        guard let replicas = try p.int("replicas") else { return nil }
        return [KubernetesParams.kubectl(try getArgv(p)), KubernetesParams.kubectl(try scaleArgv(p, replicas: replicas))]
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        let (kind, name) = try Kubectl.workload(p)
        let replicas = try await currentReplicas(p, kubectl: Kubectl(key: key, environment: environment), context: BuiltinDrivers.previewContext)
        return ["\(kind)/\(name): \(replicas) replicas now"]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let kubectl = Kubectl(key: Self.key, environment: environment)
        let (kind, name) = try Kubectl.workload(p)
        guard let replicas = try p.int("replicas") else { throw DriverError(Self.key, "`replicas` is required") }
        let current = try await Self.currentReplicas(p, kubectl: kubectl, context: context)
        await context.record(.targetsResolved, ["workload": .string("\(kind)/\(name)"), "replicas": .number(Double(current))])
        var undoParams = Kubectl.accessJSON(p)
        undoParams["kind"] = .string(kind)
        undoParams["name"] = .string(name)
        undoParams["namespace"] = .string(p.text("namespace") ?? "default")
        undoParams["replicas"] = .number(Double(current))
        _ = try await context.willApply(UndoAction(
            key: "kubernetes.scale-restore", params: .object(undoParams),
            description: "scale \(kind)/\(name) back to \(current) replicas"))
        try await kubectl.run(try Self.scaleArgv(p, replicas: replicas), context: context)
        return StepOutcome(output: ["workload": .string("\(kind)/\(name)"), "previous": .number(Double(current)), "replicas": .number(Double(replicas))],
                           summary: "scaled \(kind)/\(name) from \(current) to \(replicas) replicas")
    }

    static func getArgv(_ p: DriverParams) throws -> [String] {
        let (kind, name) = try Kubectl.workload(p)
        return ["get", "\(kind)/\(name)", "--output=json"] + Kubectl.access(p)
    }

    static func scaleArgv(_ p: DriverParams, replicas: Int) throws -> [String] {
        let (kind, name) = try Kubectl.workload(p)
        return ["scale", "\(kind)/\(name)", "--replicas=\(replicas)"] + Kubectl.access(p)
    }

    /// `.spec.replicas` of the workload; Kubernetes treats an absent value as 1.
    static func currentReplicas(_ p: DriverParams, kubectl: Kubectl, context: DriverContext) async throws -> Int {
        let object = try await kubectl.json(try getArgv(p), context: context)
        return object["spec"]?["replicas"]?.intValue ?? 1
    }
}
