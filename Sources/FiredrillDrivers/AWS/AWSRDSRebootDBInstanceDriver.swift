import FiredrillCore

/// `aws.rds.reboot-db-instance`: reboots an RDS instance, with or without a Multi-AZ failover.
public struct AWSRDSRebootDBInstanceDriver: StepDriver, ProgramDriver {
    static let key = "aws.rds.reboot-db-instance"

    public static let spec = DriverSpec(
        "aws.rds.reboot-db-instance", role: .step, "Reboots an RDS instance, optionally forcing a Multi-AZ failover.",
        timeout: "10m",
        params: AWSParams.access + [
            ParamSpec("instance", .string, required: true, "DB instance identifier"),
            ParamSpec("force-failover", .boolean, default: "false", "`--force-failover`"),
        ],
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [AWSCLI.argv("rds", "reboot-db-instance", try args(p), access: AWSCLI.access(p))]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let instance = try p.string("instance")
        let answer = try await AWSCLI(key: Self.key, environment: environment)
            .call("rds", "reboot-db-instance", try Self.args(p), access: AWSCLI.access(p), context: context)
        let status = answer["DBInstance"]?["DBInstanceStatus"]?.stringValue ?? "rebooting"
        let failover = try p.bool("force-failover")
        return StepOutcome(output: ["instance": .string(instance), "status": .string(status), "force-failover": .bool(failover)],
                           summary: "rebooting \(instance)\(failover ? " with failover" : "") (\(status))")
    }

    static func args(_ p: DriverParams) throws -> [String] {
        ["--db-instance-identifier=\(try p.string("instance"))", try p.bool("force-failover") ? "--force-failover" : "--no-force-failover"]
    }
}
