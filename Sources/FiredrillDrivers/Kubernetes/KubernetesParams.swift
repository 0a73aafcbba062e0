import FiredrillCore

/// Parameters shared by the Kubernetes drivers.
enum KubernetesParams {
    static let access: [ParamSpec] = [
        ParamSpec("namespace", .string, default: "default", "Kubernetes namespace"),
        ParamSpec("context", .string, "kubeconfig context (`--context`)"),
        ParamSpec("kubeconfig", .string, "kubeconfig file (`--kubeconfig`)"),
    ]

    static let workload: [ParamSpec] = [
        ParamSpec("deployment", .string, "a Deployment name"),
        ParamSpec("statefulset", .string, "a StatefulSet name"),
    ]

    static let workloadRule: [ParamRule] = [.exactlyOne(["deployment", "statefulset"])]

    /// The cluster access and node target `kubernetes.cordon` and `kubernetes.drain` share (nodes are not
    /// namespaced, so there is no `namespace`), read by `KubernetesNodeTargets`.
    static let nodes: [ParamSpec] = [
        ParamSpec("context", .string, "kubeconfig context"),
        ParamSpec("kubeconfig", .string, "kubeconfig file"),
        ParamSpec("node", .string, "a node name"),
        ParamSpec("selector", .string, "a node label selector"),
    ]

    static let nodeRules: [ParamRule] = [.exactlyOne(["node", "selector"])] + DriverCatalog.selectionRules

    /// Prefixes `kubectl` to an argument list.
    static func kubectl(_ args: [String]) -> [String] { ["kubectl"] + args }
}
