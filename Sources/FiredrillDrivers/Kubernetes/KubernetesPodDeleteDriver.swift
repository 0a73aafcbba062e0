import FiredrillCore

/// `kubernetes.pod-delete`: lists the pods matching `selector`, keeps the Running ones that are not already
/// terminating, picks among them by creation time, and deletes the picked pods without waiting for them to go.
public struct KubernetesPodDeleteDriver: StepDriver, ProgramDriver {
    static let key = "kubernetes.pod-delete"

    public static let spec = DriverSpec(
        "kubernetes.pod-delete", role: .step, "Deletes pods picked by a label selector.",
        timeout: "2m",
        params: KubernetesParams.access + [
            ParamSpec("selector", .string, required: true, "label selector, e.g. app=api"),
            ParamSpec("grace", .duration, "termination grace period (`--grace-period`)"),
            ParamSpec("force", .boolean, default: "false", "delete without waiting for the kubelet (`--force`)"),
        ] + DriverCatalog.selection(),
        rules: DriverCatalog.selectionRules,
        program: "kubectl"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [KubernetesParams.kubectl(try listArgv(p)), KubernetesParams.kubectl(try deleteArgv(p, pods: [Kubectl.resolvedAtRunTime]))]
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        let pods = try await candidates(p, kubectl: Kubectl(key: key, environment: environment), context: BuiltinDrivers.previewContext)
        return try BuiltinDrivers.previewPick(pods.map { ($0.name, $0.created) }, p, explicitList: false)
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let kubectl = Kubectl(key: Self.key, environment: environment)
        let pods = try await Self.candidates(p, kubectl: kubectl, context: context)
        let picked = try CloudCommand.selection(p, explicitList: false)
            .pick(pods, age: \.created, maxTargets: context.maxTargets, driver: Self.key, what: "running pods (\(try p.string("selector")))")
        let namespace = p.text("namespace") ?? "default"
        await context.record(.targetsResolved, [
            "selector": .string(try p.string("selector")), "namespace": .string(namespace),
            "matched": .number(Double(pods.count)), "picked": .array(picked.map { .string($0.name) }),
        ])
        if picked.isEmpty { return StepOutcome(output: ["targets": [], "namespace": .string(namespace)], summary: "no running pod matched; skipped") }
        try await kubectl.run(try Self.deleteArgv(p, pods: picked.map(\.name)), context: context)
        let names = picked.map(\.name).joined(separator: ", ")
        return StepOutcome(output: ["targets": .array(picked.map { .string($0.name) }), "namespace": .string(namespace)],
                           summary: "deleted pod \(names) in \(namespace)")
    }

    /// A pod that may be picked.
    struct Pod: Sendable {
        var name: String
        var created: Double
    }

    static func listArgv(_ p: DriverParams) throws -> [String] {
        ["get", "pods", "--selector=\(try p.string("selector"))", "--output=json"] + Kubectl.access(p)
    }

    static func deleteArgv(_ p: DriverParams, pods: [String]) throws -> [String] {
        var args = ["delete", "pod", "--wait=false"]
        let force = try p.bool("force")
        if let grace = try p.duration("grace") {
            args.append("--grace-period=\(Kubectl.graceSeconds(grace))")
        } else if force {
            args.append("--grace-period=0")
        }
        if force { args.append("--force") }
        return args + Kubectl.access(p) + (try Kubectl.operands(pods, key: p.key, what: "pod"))
    }

    /// The pods that may be deleted: phase Running and no deletion under way.
    static func candidates(_ p: DriverParams, kubectl: Kubectl, context: DriverContext) async throws -> [Pod] {
        let list = try await kubectl.json(try listArgv(p), context: context)
        return (list["items"]?.arrayValue ?? []).compactMap { item in
            guard let name = item["metadata"]?["name"]?.stringValue,
                  item["status"]?["phase"]?.stringValue == "Running",
                  item["metadata"]?["deletionTimestamp"].map(\.isNull) ?? true
            else { return nil }
            return Pod(name: name, created: Kubectl.creationTime(item))
        }
    }
}
