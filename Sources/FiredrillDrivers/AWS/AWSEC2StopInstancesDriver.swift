import FiredrillCore

/// `aws.ec2.stop-instances`: stops the picked running instances. The `aws.ec2.start-instances` undo on the same
/// ids is journaled before the stop.
public struct AWSEC2StopInstancesDriver: StepDriver, ProgramDriver {
    static let key = "aws.ec2.stop-instances"

    public static let spec = DriverSpec(
        "aws.ec2.stop-instances", role: .step, "Stops EC2 instances, by ids or tags.",
        timeout: "5m",
        params: AWSParams.access + AWSParams.ec2Targets + [
            ParamSpec("force", .boolean, default: "false", "`--force`"),
        ] + DriverCatalog.selection(),
        rules: [.exactlyOne(["ids", "tags"])] + DriverCatalog.selectionRules,
        undo: "start-instances on the same ids",
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        let targets = EC2InstanceTargets(key: key, params: p, aws: AWSCLI(key: key, environment: environment))
        return [AWSCLI.argv("ec2", "describe-instances", try targets.describeArgs(), access: AWSCLI.access(p)),
                AWSCLI.argv("ec2", "stop-instances", try args(p, ids: [Kubectl.resolvedAtRunTime]), access: AWSCLI.access(p))]
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
