import FiredrillCore

/// The Kubernetes API access each Kubernetes driver needs (what its `kubectl` calls do), so an exported CronJob's
/// ServiceAccount gets exactly its plan's share.
public enum KubernetesPermissions {
    public struct Rule: Sendable, Equatable {
        public var apiGroups: [String]
        public var resources: [String]
        public var verbs: [String]
        /// Nodes are cluster-scoped: a ClusterRole.
        public var clusterWide: Bool
    }

    static let workloads = ["deployments", "statefulsets", "daemonsets"]

    /// The rules of one driver key; empty for drivers that do not call the Kubernetes API.
    public static func rules(forDriver key: String) -> [Rule] {
        switch key {
        case "kubernetes.pod-delete":
            [Rule(apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "delete"], clusterWide: false)]
        case "kubernetes.scale":
            [Rule(apiGroups: ["apps"], resources: ["deployments", "statefulsets", "deployments/scale", "statefulsets/scale"], verbs: ["get", "list", "patch", "update"], clusterWide: false)]
        case "kubernetes.rollout-restart":
            [Rule(apiGroups: ["apps"], resources: workloads, verbs: ["get", "list", "patch"], clusterWide: false)]
        case "kubernetes.rollout-undo":
            [Rule(apiGroups: ["apps"], resources: workloads + ["replicasets", "controllerrevisions"], verbs: ["get", "list", "patch", "update"], clusterWide: false)]
        case "kubernetes.rollout-status":
            [Rule(apiGroups: ["apps"], resources: workloads + ["replicasets"], verbs: ["get", "list", "watch"], clusterWide: false)]
        case "kubernetes.cordon":
            [Rule(apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "patch"], clusterWide: true)]
        case "kubernetes.drain":
            [Rule(apiGroups: [""], resources: ["nodes"], verbs: ["get", "list", "patch"], clusterWide: true),
             Rule(apiGroups: [""], resources: ["pods"], verbs: ["get", "list"], clusterWide: true),
             Rule(apiGroups: [""], resources: ["pods/eviction"], verbs: ["create"], clusterWide: true),
             Rule(apiGroups: ["apps"], resources: ["daemonsets"], verbs: ["get"], clusterWide: true)]
        default:
            []
        }
    }

    /// The rules of every driver `plan` uses (steps, probes, guards), without repeats.
    public static func rules(for plan: Plan) -> [Rule] {
        var all: [Rule] = []
        for key in driverKeys(plan) {
            for rule in rules(forDriver: key) where !all.contains(rule) { all.append(rule) }
        }
        return all
    }

    /// The driver keys a plan uses, sorted.
    public static func driverKeys(_ plan: Plan) -> [String] {
        var keys = Set<String>()
        func visit(_ steps: [Step]) {
            for step in steps {
                switch step.action {
                case .driver(let call): keys.insert(call.key)
                case .parallel(let inner): visit(inner)
                case .until(let until): keys.insert(until.probe.call.key)
                case .wait, .manual: break
                }
            }
        }
        for section in plan.stepSections { visit(section.steps) }
        for probe in plan.steadyState + plan.guards + plan.verify + (plan.recovered.map { [$0] } ?? []) { keys.insert(probe.call.key) }
        return keys.sorted()
    }
}
