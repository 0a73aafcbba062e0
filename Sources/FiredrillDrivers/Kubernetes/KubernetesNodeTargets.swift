import FiredrillCore

/// Resolves the `node` or `selector` of `kubernetes.cordon` and `kubernetes.drain` into node names: nodes that
/// are already unschedulable are left out (cordoning them changes nothing, and uncordoning them later would undo
/// someone else's cordon), then the selection picks by creation time.
struct KubernetesNodeTargets {
    let key: String
    let params: DriverParams
    let kubectl: Kubectl

    /// A node that may be picked.
    struct Node: Sendable {
        var name: String
        var created: Double
    }

    /// `kubectl get node NAME` or `kubectl get nodes --selector=…`, as JSON.
    func listArgv() throws -> [String] {
        if let node = params.optionalString("node") {
            try Kubectl.checkName(node, key: key, what: "node")
            return ["get", "node", node, "--output=json"] + Kubectl.access(params, namespaced: false)
        }
        guard let selector = params.optionalString("selector") else { throw DriverError(key, "needs `node` or `selector`") }
        return ["get", "nodes", "--selector=\(selector)", "--output=json"] + Kubectl.access(params, namespaced: false)
    }

    var criterion: String {
        params.optionalString("node").map { "node \($0)" } ?? "nodes (\(params.optionalString("selector") ?? ""))"
    }

    /// The schedulable nodes matched, before picking.
    func candidates(context: DriverContext) async throws -> [Node] {
        let found = try await kubectl.json(try listArgv(), context: context)
        let items = found["items"]?.arrayValue ?? (found["metadata"] != nil ? [found] : [])
        return items.compactMap { item in
            guard let name = item["metadata"]?["name"]?.stringValue, item["spec"]?["unschedulable"]?.boolValue != true else { return nil }
            return Node(name: name, created: Kubectl.creationTime(item))
        }
    }

    /// Resolves, picks and journals the picked nodes.
    func resolve(context: DriverContext) async throws -> [String] {
        let nodes = try await candidates(context: context)
        let explicit = params.has("node")
        let picked = try CloudCommand.selection(params, explicitList: explicit)
            .pick(nodes, age: \.created, maxTargets: context.maxTargets, driver: key, what: "schedulable \(criterion)")
        await context.record(.targetsResolved, [
            "criterion": .string(criterion), "matched": .number(Double(nodes.count)),
            "picked": .array(picked.map { .string($0.name) }),
        ])
        return picked.map(\.name)
    }

    /// The undo that uncordons `nodes`, with what it needs to reach the same cluster.
    func uncordonUndo(_ nodes: [String]) -> UndoAction {
        var undoParams = Kubectl.accessJSON(params, namespaced: false)
        undoParams["nodes"] = .array(nodes.map { .string($0) })
        return UndoAction(key: "kubernetes.uncordon", params: .object(undoParams),
                          description: "uncordon \(nodes.joined(separator: ", "))")
    }

    /// The nodes `kubernetes.cordon` or `kubernetes.drain` would pick, for `firedrill plan`.
    static func preview(key: String, _ p: DriverParams, environment: [String: String]) async throws -> [String] {
        let targets = KubernetesNodeTargets(key: key, params: p, kubectl: Kubectl(key: key, environment: environment))
        let nodes = try await targets.candidates(context: BuiltinDrivers.previewContext)
        return try BuiltinDrivers.previewPick(nodes.map { ($0.name, $0.created) }, p, explicitList: p.has("node"))
    }
}
