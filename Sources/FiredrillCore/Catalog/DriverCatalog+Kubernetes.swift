extension DriverCatalog {
    static let kubeAccess: [ParamSpec] = [
        ParamSpec("namespace", .string, default: "default", "Kubernetes namespace"),
        ParamSpec("context", .string, "kubeconfig context (`--context`)"),
        ParamSpec("kubeconfig", .string, "kubeconfig file (`--kubeconfig`)"),
    ]

    static let workload: [ParamSpec] = [
        ParamSpec("deployment", .string, "a Deployment name"),
        ParamSpec("statefulset", .string, "a StatefulSet name"),
    ]

    static let workloadRule: [ParamRule] = [.exactlyOne(["deployment", "statefulset"])]

    static let kubernetes: [DriverSpec] = [
        DriverSpec(
            "kubernetes.pod-delete", role: .step, "Deletes pods picked by a label selector.",
            timeout: "2m",
            params: kubeAccess + [
                ParamSpec("selector", .string, required: true, "label selector, e.g. app=api"),
                ParamSpec("grace", .duration, "termination grace period (`--grace-period`)"),
                ParamSpec("force", .boolean, default: "false", "delete without waiting for the kubelet (`--force`)"),
            ] + selection(),
            rules: selectionRules,
            program: "kubectl"
        ),
        DriverSpec(
            "kubernetes.scale", role: .step, "Sets a workload's replica count.",
            timeout: "2m",
            params: kubeAccess + workload + [
                ParamSpec("replicas", .integer(min: 0, max: nil), required: true, "the new replica count"),
            ],
            rules: workloadRule,
            undo: "the previous replica count restored",
            program: "kubectl"
        ),
        DriverSpec(
            "kubernetes.rollout-restart", role: .step, "Restarts a workload's pods with a rolling restart.",
            timeout: "2m",
            params: kubeAccess + workload,
            rules: workloadRule,
            program: "kubectl"
        ),
        DriverSpec(
            "kubernetes.rollout-undo", role: .step, "Rolls a workload back to its previous (or a given) revision.",
            timeout: "2m",
            params: kubeAccess + workload + [
                ParamSpec("to-revision", .integer(min: 1, max: nil), "the revision to roll back to"),
            ],
            rules: workloadRule,
            program: "kubectl"
        ),
        DriverSpec(
            "kubernetes.rollout-status", role: [.step, .probe], "Waits until a workload's rollout completes.",
            timeout: "10m",
            params: kubeAccess + workload,
            rules: workloadRule,
            fields: [
                ProbeField("exit-code", .number, "kubectl's exit code"),
                ProbeField("stdout", .string, "kubectl's output"),
            ],
            program: "kubectl"
        ),
        DriverSpec(
            "kubernetes.cordon", role: .step, "Marks nodes unschedulable.",
            timeout: "1m",
            params: [
                ParamSpec("context", .string, "kubeconfig context"),
                ParamSpec("kubeconfig", .string, "kubeconfig file"),
                ParamSpec("node", .string, "a node name"),
                ParamSpec("selector", .string, "a node label selector"),
            ] + selection(),
            rules: [.exactlyOne(["node", "selector"])] + selectionRules,
            undo: "uncordon",
            program: "kubectl"
        ),
        DriverSpec(
            "kubernetes.drain", role: .step, "Cordons nodes and evicts their pods.",
            timeout: "10m",
            params: [
                ParamSpec("context", .string, "kubeconfig context"),
                ParamSpec("kubeconfig", .string, "kubeconfig file"),
                ParamSpec("node", .string, "a node name"),
                ParamSpec("selector", .string, "a node label selector"),
                ParamSpec("grace", .duration, "pod termination grace period"),
                ParamSpec("ignore-daemonsets", .boolean, default: "true", "`--ignore-daemonsets`"),
                ParamSpec("delete-emptydir-data", .boolean, default: "false", "`--delete-emptydir-data`"),
            ] + selection(),
            rules: [.exactlyOne(["node", "selector"])] + selectionRules,
            undo: "uncordon",
            program: "kubectl"
        ),
    ]
}
