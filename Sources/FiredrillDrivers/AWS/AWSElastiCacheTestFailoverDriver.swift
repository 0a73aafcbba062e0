import FiredrillCore

/// `aws.elasticache.test-failover`: fails over one node group of an ElastiCache replication group.
public struct AWSElastiCacheTestFailoverDriver: StepDriver, ProgramDriver {
    static let key = "aws.elasticache.test-failover"

    public static let spec = DriverSpec(
        "aws.elasticache.test-failover", role: .step, "Fails over an ElastiCache node group.",
        timeout: "10m",
        params: AWSParams.access + [
            ParamSpec("replication-group", .string, required: true, "replication group id"),
            ParamSpec("node-group", .string, default: "0001", "node group id"),
        ],
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [AWSCLI.argv("elasticache", "test-failover", try args(p), access: AWSCLI.access(p))]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let group = try p.string("replication-group")
        let nodeGroup = p.text("node-group") ?? "0001"
        let answer = try await AWSCLI(key: Self.key, environment: environment)
            .call("elasticache", "test-failover", try Self.args(p), access: AWSCLI.access(p), context: context)
        let status = answer["ReplicationGroup"]?["Status"]?.stringValue ?? "unknown"
        return StepOutcome(output: ["replication-group": .string(group), "node-group": .string(nodeGroup), "status": .string(status)],
                           summary: "failover of \(group) node group \(nodeGroup) started (\(status))")
    }

    static func args(_ p: DriverParams) throws -> [String] {
        ["--replication-group-id=\(try p.string("replication-group"))", "--node-group-id=\(p.text("node-group") ?? "0001")"]
    }
}
