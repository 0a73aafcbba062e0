import FiredrillCore

/// `aws.ec2.reboot-instances`: reboots the picked running instances.
public struct AWSEC2RebootInstancesDriver: StepDriver, ProgramDriver {
    static let key = "aws.ec2.reboot-instances"

    public static let spec = DriverSpec(
        "aws.ec2.reboot-instances", role: .step, "Reboots EC2 instances, by ids or tags.",
        timeout: "5m",
        params: AWSParams.access + AWSParams.ec2Targets + DriverCatalog.selection(),
        rules: [.exactlyOne(["ids", "tags"])] + DriverCatalog.selectionRules,
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        let targets = EC2InstanceTargets(key: key, params: p, aws: AWSCLI(key: key, environment: environment))
        return [AWSCLI.argv("ec2", "describe-instances", try targets.describeArgs(), access: AWSCLI.access(p)),
                AWSCLI.argv("ec2", "reboot-instances", ["--instance-ids", Kubectl.resolvedAtRunTime], access: AWSCLI.access(p))]
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        try await EC2InstanceTargets.preview(key: key, p, environment: environment)
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let aws = AWSCLI(key: Self.key, environment: environment)
        let ids = try await EC2InstanceTargets(key: Self.key, params: p, aws: aws).resolve(context: context)
        if ids.isEmpty { return StepOutcome(output: ["targets": []], summary: "no running instance matched; skipped") }
        _ = try await aws.call("ec2", "reboot-instances", ["--instance-ids"] + ids, access: AWSCLI.access(p), context: context)
        return StepOutcome(output: ["targets": .array(ids.map { .string($0) })], summary: "rebooted \(ids.joined(separator: ", "))")
    }
}
