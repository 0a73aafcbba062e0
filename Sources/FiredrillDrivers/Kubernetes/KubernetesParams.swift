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

    /// Prefixes `kubectl` to an argument list.
    static func kubectl(_ args: [String]) -> [String] { ["kubectl"] + args }
}
