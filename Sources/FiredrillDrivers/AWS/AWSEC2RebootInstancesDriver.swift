import FiredrillCore

/// `aws.ec2.reboot-instances`: reboots the picked running instances.
public struct AWSEC2RebootInstancesDriver: StepDriver {
    static let key = "aws.ec2.reboot-instances"
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
        _ = try await aws.call("ec2", "reboot-instances", ["--instance-ids"] + ids, access: AWSCLI.access(p), context: context)
        return StepOutcome(output: ["targets": .array(ids.map { .string($0) })], summary: "rebooted \(ids.joined(separator: ", "))")
    }
}
