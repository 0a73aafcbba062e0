import FiredrillCore

/// `aws.ec2.stop-instances`: stops the picked running instances. The `aws.ec2.start-instances` undo on the same
/// ids is journaled before the stop.
public struct AWSEC2StopInstancesDriver: StepDriver {
    static let key = "aws.ec2.stop-instances"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
        let aws = AWSCLI(key: Self.key, environment: environment)
        let ids = try await EC2InstanceTargets(key: Self.key, params: p, aws: aws).resolve(context: context)
        if ids.isEmpty { return StepOutcome(output: ["targets": []], summary: "no running instance matched; skipped") }
        var undoParams = AWSCLI.accessJSON(p)
        undoParams["ids"] = .array(ids.map { .string($0) })
        _ = try await context.willApply(UndoAction(key: "aws.ec2.start-instances", params: .object(undoParams),
                                                   description: "start-instances \(ids.joined(separator: ", "))"))
        let answer = try await aws.call("ec2", "stop-instances", try Self.args(p, ids: ids), access: AWSCLI.access(p), context: context)
        let states = (answer["StoppingInstances"]?.arrayValue ?? []).compactMap { item -> String? in
            guard let id = item["InstanceId"]?.stringValue else { return nil }
            return "\(id) \(item["CurrentState"]?["Name"]?.stringValue ?? "?")"
        }
        return StepOutcome(output: ["targets": .array(ids.map { .string($0) })],
                           summary: "stopping \(ids.joined(separator: ", "))" + (states.isEmpty ? "" : " (\(states.joined(separator: ", ")))"))
    }

    static func args(_ p: DriverParams, ids: [String]) throws -> [String] {
        ["--instance-ids"] + ids + (try p.bool("force") ? ["--force"] : [])
    }
}
