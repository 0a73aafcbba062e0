/// Realistic `kubectl … -o json` answers for the Kubernetes driver tests.
enum KubernetesFixtures {
    static func pod(_ name: String, created: String, phase: String = "Running", deleting: Bool = false) -> [String: Any] {
        var metadata: [String: Any] = [
            "name": name, "namespace": "shop", "labels": ["app": "api", "pod-template-hash": "7d9f8c6b5"],
            "creationTimestamp": created, "uid": "uid-\(name)",
        ]
        if deleting { metadata["deletionTimestamp"] = "2024-05-01T12:00:00Z" }
        return [
            "apiVersion": "v1", "kind": "Pod", "metadata": metadata,
            "spec": ["containers": [["name": "api", "image": "registry.example/api:1.4.2"]], "nodeName": "node-a"],
            "status": ["phase": phase, "podIP": "10.0.0.7"],
        ]
    }

    static func list(_ items: [[String: Any]], kind: String = "List") -> [String: Any] {
        ["apiVersion": "v1", "kind": kind, "items": items, "metadata": ["resourceVersion": ""]]
    }

    static func deployment(_ name: String, replicas: Int) -> [String: Any] {
        [
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": ["name": name, "namespace": "shop", "generation": 4, "creationTimestamp": "2024-01-01T00:00:00Z"],
            "spec": ["replicas": replicas, "selector": ["matchLabels": ["app": name]]],
            "status": ["replicas": replicas, "readyReplicas": replicas, "availableReplicas": replicas],
        ]
    }

    static func node(_ name: String, created: String, unschedulable: Bool = false) -> [String: Any] {
        var spec: [String: Any] = ["podCIDR": "10.244.0.0/24"]
        if unschedulable { spec["unschedulable"] = true }
        return [
            "apiVersion": "v1", "kind": "Node",
            "metadata": ["name": name, "labels": ["pool": "batch", "kubernetes.io/hostname": name], "creationTimestamp": created],
            "spec": spec,
            "status": ["conditions": [["type": "Ready", "status": "True"]]],
        ]
    }
}
