import FiredrillCore

/// `aws.rds.reboot-db-instance`: reboots an RDS instance, with or without a Multi-AZ failover.
public struct AWSRDSRebootDBInstanceDriver: StepDriver {
    static let key = "aws.rds.reboot-db-instance"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
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
