import FiredrillCore

/// Undo of `kubernetes.scale`: scales the recorded workload back to its recorded replica count.
public struct KubernetesScaleRestoreUndo: DeclaredUndo {
    public static let key = "kubernetes.scale-restore"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every kubectl call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard let kind = params["kind"]?.stringValue, let name = params["name"]?.stringValue,
              let replicas = params["replicas"]?.intValue
        else { throw DriverError(Self.key, "the recorded undo lacks kind, name or replicas") }
        try Kubectl.checkName(name, key: Self.key, what: kind)
        let kubectl = Kubectl(key: Self.key, environment: environment)
        try await kubectl.run(["scale", "\(kind)/\(name)", "--replicas=\(replicas)"] + Kubectl.access(params), context: context)
        return "scaled \(kind)/\(name) back to \(replicas) replicas"
    }
}
