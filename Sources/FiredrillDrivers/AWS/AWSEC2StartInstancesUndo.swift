import FiredrillCore

/// Undo of `aws.ec2.stop-instances`: starts the recorded instances again. Instances still `stopping` are waited
/// for (EC2 refuses to start them until they are `stopped`); instances already running or pending are left alone.
public struct AWSEC2StartInstancesUndo: DeclaredUndo {
    public static let key = "aws.ec2.start-instances"
    let environment: [String: String]
    let pollInterval: Duration

    /// - Parameters:
    ///   - environment: variables set on top of the process environment for every aws call.
    ///   - pollInterval: how often a `stopping` instance is checked again.
    public init(environment: [String: String] = [:], pollInterval: Duration = .seconds(3)) {
        self.environment = environment
        self.pollInterval = pollInterval
    }

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        let ids = (params["ids"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard !ids.isEmpty else { throw DriverError(Self.key, "the recorded undo names no instance") }
        for id in ids { try AWSCLI.checkIdentifier(id, key: Self.key, what: "instance id") }
        let aws = AWSCLI(key: Self.key, environment: environment)
        let access = AWSCLI.access(params)
        let deadline = ContinuousClock.now + context.timeout
        var states: [String: String] = [:]
        while true {
            let found = try await aws.call("ec2", "describe-instances", ["--instance-ids"] + ids, access: access, context: context)
            states = [:]
            for reservation in found["Reservations"]?.arrayValue ?? [] {
                for instance in reservation["Instances"]?.arrayValue ?? [] {
                    if let id = instance["InstanceId"]?.stringValue { states[id] = instance["State"]?["Name"]?.stringValue ?? "unknown" }
                }
            }
            if !states.values.contains("stopping") || ContinuousClock.now + pollInterval > deadline { break }
            context.progress("waiting for \(states.filter { $0.value == "stopping" }.keys.sorted().joined(separator: ", ")) to stop")
            try await Task.sleep(for: pollInterval)
        }
        let toStart = ids.filter { states[$0] == "stopped" || states[$0] == "stopping" }
        let left = ids.filter { !toStart.contains($0) }.map { "\($0) \(states[$0] ?? "not found")" }
        if !toStart.isEmpty {
            _ = try await aws.call("ec2", "start-instances", ["--instance-ids"] + toStart, access: access, context: context)
        }
        var how = toStart.isEmpty ? "" : "start-instances \(toStart.joined(separator: ", "))"
        if !left.isEmpty { how += (how.isEmpty ? "" : "; ") + "left as they were: \(left.joined(separator: ", "))" }
        return how
    }
}
