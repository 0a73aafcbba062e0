import FiredrillCore

/// Undo of `aws.ecs.update-service`: sets the recorded desired count and/or task definition back.
public struct AWSECSRestoreServiceUndo: DeclaredUndo {
    public static let key = "aws.ecs.restore-service"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard let cluster = params["cluster"]?.stringValue, let service = params["service"]?.stringValue else {
            throw DriverError(Self.key, "the recorded undo lacks cluster or service")
        }
        var args = ["--cluster=\(cluster)", "--service=\(service)"]
        var restored: [String] = []
        if let count = params["desired-count"]?.intValue {
            args.append("--desired-count=\(count)")
            restored.append("desired count \(count)")
        }
        if let definition = params["task-definition"]?.stringValue {
            args.append("--task-definition=\(definition)")
            restored.append("task definition \(definition)")
        }
        guard !restored.isEmpty else { return "nothing recorded to restore" }
        _ = try await AWSCLI(key: Self.key, environment: environment)
            .call("ecs", "update-service", args, access: AWSCLI.access(params), context: context)
        return "restored \(service) in \(cluster) to \(restored.joined(separator: " and "))"
    }
}
