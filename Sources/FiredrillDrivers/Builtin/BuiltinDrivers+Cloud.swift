import FiredrillCore

extension BuiltinDrivers {
    /// The Kubernetes faults, each declaring its own catalog entry, dry-run argv and target preview.
    static let kubernetes: [any StepDriver & DeclaredDriver] = [
        KubernetesPodDeleteDriver(),
        KubernetesScaleDriver(),
        KubernetesRolloutRestartDriver(),
        KubernetesRolloutUndoDriver(),
        KubernetesRolloutStatusDriver(),
        KubernetesCordonDriver(),
        KubernetesDrainDriver(),
    ]

    /// AWS, Railway and flood faults whose catalog entries are still declared in Core.
    static let cloudSteps: [String: any StepDriver] = [
        "aws.ec2.stop-instances": AWSEC2StopInstancesDriver(),
        "aws.ec2.reboot-instances": AWSEC2RebootInstancesDriver(),
        "aws.rds.failover-db-cluster": AWSRDSFailoverDBClusterDriver(),
        "aws.rds.reboot-db-instance": AWSRDSRebootDBInstanceDriver(),
        "aws.ecs.stop-task": AWSECSStopTaskDriver(),
        "aws.ecs.update-service": AWSECSUpdateServiceDriver(),
        "aws.elasticache.test-failover": AWSElastiCacheTestFailoverDriver(),
        "aws.route53.failover": AWSRoute53FailoverDriver(),
        "railway.restart": RailwayRestartDriver(),
        "railway.redeploy": RailwayRedeployDriver(),
        "railway.down": RailwayDownDriver(),
        "railway.rollback": RailwayRollbackDriver(),
        "flood.tcp": TCPFloodDriver(),
        "flood.http": HTTPFloodDriver(),
    ]

    static let cloudUndos: [String: any UndoDriver] = [
        "kubernetes.scale-restore": KubernetesScaleRestoreUndo(),
        "kubernetes.uncordon": KubernetesUncordonUndo(),
        "aws.ec2.start-instances": AWSEC2StartInstancesUndo(),
        "aws.ecs.restore-service": AWSECSRestoreServiceUndo(),
        "aws.route53.restore-record": AWSRoute53RestoreRecordUndo(),
        "flood.release": FloodReleaseUndo(),
    ]

    /// The argv lists a cloud driver would run, in order, exactly as it would run them; targets known only at run
    /// time read `<resolved at run time>`, and kubectl's own `--timeout` reads `<step timeout>`. Nil for drivers
    /// that run no program (floods, `railway.rollback`, which calls the GraphQL API) and for parameters that
    /// would fail at run time.
    static func describeCloudArgv(_ key: String, _ params: PlanNode) -> [[String]]? {
        try? cloudArgv(key, DriverParams(key: key, node: params, spec: catalog.spec(key)), environment: [:])
    }

    static func cloudArgv(_ key: String, _ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        if let driver = declared[key] {
            return try driver.dryRunArgv(p, environment: environment)
        }
        let later = Kubectl.resolvedAtRunTime
        let aws = { (service: String, operation: String, args: [String]) in
            AWSCLI.argv(service, operation, args, access: AWSCLI.access(p))
        }
        switch key {
        case "aws.ec2.stop-instances", "aws.ec2.reboot-instances":
            let targets = EC2InstanceTargets(key: key, params: p, aws: AWSCLI(key: key, environment: environment))
            let act = key == "aws.ec2.stop-instances"
                ? aws("ec2", "stop-instances", try AWSEC2StopInstancesDriver.args(p, ids: [later]))
                : aws("ec2", "reboot-instances", ["--instance-ids", later])
            return [aws("ec2", "describe-instances", try targets.describeArgs()), act]
        case "aws.rds.failover-db-cluster":
            return [aws("rds", "describe-db-clusters", AWSRDSFailoverDBClusterDriver.describeArgs(try p.string("cluster"))),
                    aws("rds", "failover-db-cluster", try AWSRDSFailoverDBClusterDriver.args(p))]
        case "aws.rds.reboot-db-instance":
            return [aws("rds", "reboot-db-instance", try AWSRDSRebootDBInstanceDriver.args(p))]
        case "aws.ecs.stop-task":
            return [aws("ecs", "list-tasks", try AWSECSStopTaskDriver.listArgs(p)),
                    aws("ecs", "stop-task", try AWSECSStopTaskDriver.stopArgs(p, task: later))]
        case "aws.ecs.update-service":
            var argvs = [aws("ecs", "describe-services", try AWSECSUpdateServiceDriver.describeArgs(p))]
            var definition = p.optionalString("task-definition")
            if try p.bool("previous-task-definition") {
                argvs.append(aws("ecs", "describe-task-definition", ["--task-definition=\(later)"]))
                argvs.append(aws("ecs", "describe-task-definition", ["--task-definition=\(later)"]))
                definition = later
            }
            argvs.append(aws("ecs", "update-service", try AWSECSUpdateServiceDriver.updateArgs(
                p, desiredCount: try p.int("desired-count"), taskDefinition: definition, force: try p.bool("force-new-deployment"))))
            return argvs
        case "aws.elasticache.test-failover":
            return [aws("elasticache", "test-failover", try AWSElastiCacheTestFailoverDriver.args(p))]
        case "aws.route53.failover":
            return [aws("route53", "list-resource-record-sets", try AWSRoute53FailoverDriver.listArgs(p)),
                    aws("route53", "change-resource-record-sets", try AWSRoute53FailoverDriver.changeArgs(p))]
        case "railway.restart", "railway.redeploy":
            return [try RailwayCLI.argv(String(key.dropFirst("railway.".count)), p, json: true, environment: environment)]
        case "railway.down":
            return [try RailwayCLI.argv("down", p, json: false, environment: environment)]
        default:
            return nil
        }
    }

    /// What a cloud step would pick, found with read-only calls only (`kubectl get`, `aws … describe-*` /
    /// `list-*`), for `firedrill plan`. Returns one line per target that would be picked; for a random pick of
    /// fewer than all, one line `N of M at random from: a, b, c`; for steps without targets, the state they would
    /// change (`deployment/api: 3 replicas now`). Nil for drivers with nothing to look up.
    public static func previewTargets(_ key: String, _ params: PlanNode) async throws -> [String]? {
        try await previewTargets(key, params, environment: [:])
    }

    static func previewTargets(_ key: String, _ params: PlanNode, environment: [String: String]) async throws -> [String]? {
        let p = DriverParams(key: key, node: params, spec: catalog.spec(key))
        if let driver = declared[key] {
            return try await driver.previewTargets(p, environment: environment)
        }
        let context = previewContext
        switch key {
        case "aws.ec2.stop-instances", "aws.ec2.reboot-instances":
            let targets = EC2InstanceTargets(key: key, params: p, aws: AWSCLI(key: key, environment: environment))
            let instances = try await targets.candidates(context: context)
            return try previewPick(instances.map { ($0.id, $0.launched) }, p, explicitList: p.list("ids").map { !$0.isEmpty } ?? false)
        case "aws.ecs.stop-task":
            let selection = try TargetSelection(p)
            let tasks = try await AWSECSStopTaskDriver.candidates(p, aws: AWSCLI(key: key, environment: environment),
                                                                  withAges: selection.mode == .oldest || selection.mode == .newest, context: context)
            return try previewPick(tasks.map { ($0.arn, $0.started) }, p, explicitList: false)
        case "aws.ecs.update-service":
            let state = try await AWSECSUpdateServiceDriver.read(p, aws: AWSCLI(key: key, environment: environment), context: context)
            return ["\(try p.string("service")): desired count \(state.desiredCount), task definition \(state.taskDefinition)"]
        case "aws.rds.failover-db-cluster":
            let cluster = try p.string("cluster")
            let found = try await AWSCLI(key: key, environment: environment).call(
                "rds", "describe-db-clusters", AWSRDSFailoverDBClusterDriver.describeArgs(cluster), access: AWSCLI.access(p), context: context)
            return ["\(cluster): writer \(AWSRDSFailoverDBClusterDriver.writer(found["DBClusters"]?[0]) ?? "unknown")"]
        case "aws.route53.failover":
            let current = try await AWSRoute53FailoverDriver.currentRecordSet(p, aws: AWSCLI(key: key, environment: environment), context: context)
            let record = AWSRoute53FailoverDriver.normalized(try p.string("record"))
            return ["\(record) \(p.text("type") ?? "A"): " + (current.map(AWSRoute53FailoverDriver.describe) ?? "no record yet")]
        default:
            return nil
        }
    }

    /// The context a preview's read-only calls run under.
    static let previewContext = DriverContext(name: "plan", timeout: .seconds(60), maxTargets: .max)

    /// The preview lines of a pick among `(name, age)` candidates.
    static func previewPick(_ candidates: [(String, Double)], _ p: DriverParams, explicitList: Bool) throws -> [String] {
        let selection = try CloudCommand.selection(p, explicitList: explicitList)
        if candidates.isEmpty {
            return [selection.skipIfNone ? "none matched (the step would be skipped)" : "none matched (the step would fail)"]
        }
        let picked = try selection.pick(candidates.map { PreviewCandidate(name: $0.0, age: $0.1) }, age: \.age,
                                        maxTargets: .max, driver: p.key, what: "targets")
        if selection.mode == .random && picked.count < candidates.count {
            return ["\(picked.count) of \(candidates.count) at random from: " + candidates.map(\.0).joined(separator: ", ")]
        }
        return picked.map(\.name)
    }

    /// One candidate of a preview.
    struct PreviewCandidate: Sendable {
        var name: String
        var age: Double
    }
}
