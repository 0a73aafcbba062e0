import FiredrillCore

/// `aws.rds.failover-db-cluster`: fails an Aurora/RDS cluster over to a reader (`target-instance`, or one RDS
/// chooses). The writer before the failover is read first and journaled.
public struct AWSRDSFailoverDBClusterDriver: StepDriver, ProgramDriver {
    static let key = "aws.rds.failover-db-cluster"

    public static let spec = DriverSpec(
        "aws.rds.failover-db-cluster", role: .step, "Fails an Aurora/RDS cluster over to a reader.",
        timeout: "10m",
        params: AWSParams.access + [
            ParamSpec("cluster", .string, required: true, "DB cluster identifier"),
            ParamSpec("target-instance", .string, "the instance to promote"),
        ],
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [AWSCLI.argv("rds", "describe-db-clusters", describeArgs(try p.string("cluster")), access: AWSCLI.access(p)),
         AWSCLI.argv("rds", "failover-db-cluster", try args(p), access: AWSCLI.access(p))]
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        let cluster = try p.string("cluster")
        let found = try await AWSCLI(key: key, environment: environment).call(
            "rds", "describe-db-clusters", describeArgs(cluster), access: AWSCLI.access(p), context: BuiltinDrivers.previewContext)
        return ["\(cluster): writer \(writer(found["DBClusters"]?[0]) ?? "unknown")"]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let aws = AWSCLI(key: Self.key, environment: environment)
        let cluster = try p.string("cluster")
        let before = try await aws.call("rds", "describe-db-clusters", Self.describeArgs(cluster), access: AWSCLI.access(p), context: context)
        let previousWriter = Self.writer(before["DBClusters"]?[0])
        await context.record(.targetsResolved, ["cluster": .string(cluster), "writer": previousWriter.map { .string($0) } ?? .null])
        let answer = try await aws.call("rds", "failover-db-cluster", try Self.args(p), access: AWSCLI.access(p), context: context)
        let writer = Self.writer(answer["DBCluster"])
        var output: [String: JSONValue] = ["cluster": .string(cluster), "previous-writer": previousWriter.map { .string($0) } ?? .null]
        output["writer"] = writer.map { .string($0) } ?? .null
        let toward = p.optionalString("target-instance").map { " to \($0)" } ?? ""
        return StepOutcome(output: .object(output),
                           summary: "failover of \(cluster)\(toward) started (writer was \(previousWriter ?? "unknown"), now \(writer ?? "being chosen"))")
    }

    static func describeArgs(_ cluster: String) -> [String] {
        ["--db-cluster-identifier=\(cluster)"]
    }

    static func args(_ p: DriverParams) throws -> [String] {
        var args = ["--db-cluster-identifier=\(try p.string("cluster"))"]
        if let target = p.optionalString("target-instance") { args.append("--target-db-instance-identifier=\(target)") }
        return args
    }

    /// The writer member of a `DBCluster` object.
    static func writer(_ cluster: JSONValue?) -> String? {
        (cluster?["DBClusterMembers"]?.arrayValue ?? []).first { $0["IsClusterWriter"]?.boolValue == true }?["DBInstanceIdentifier"]?.stringValue
    }
}
