import FiredrillCore

/// Undo of `kubernetes.cordon` and `kubernetes.drain`: marks the recorded nodes schedulable again.
public struct KubernetesUncordonUndo: DeclaredUndo {
    public static let key = "kubernetes.uncordon"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        let nodes = (params["nodes"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard !nodes.isEmpty else { throw DriverError(Self.key, "the recorded undo names no node") }
        let operands = try Kubectl.operands(nodes, key: Self.key, what: "node")
        let kubectl = Kubectl(key: Self.key, environment: environment)
        try await kubectl.run(["uncordon"] + Kubectl.access(params, namespaced: false) + operands, context: context)
        return "uncordoned \(nodes.joined(separator: ", "))"
    }
}
