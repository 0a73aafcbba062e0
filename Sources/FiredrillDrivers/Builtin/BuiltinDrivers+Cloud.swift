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

    /// The AWS faults.
    static let aws: [any StepDriver & DeclaredDriver] = [
        AWSEC2StopInstancesDriver(),
        AWSEC2RebootInstancesDriver(),
        AWSRDSFailoverDBClusterDriver(),
        AWSRDSRebootDBInstanceDriver(),
        AWSECSStopTaskDriver(),
        AWSECSUpdateServiceDriver(),
        AWSElastiCacheTestFailoverDriver(),
        AWSRoute53FailoverDriver(),
    ]

    /// The Railway faults.
    static let railway: [any StepDriver & DeclaredDriver] = [
        RailwayRestartDriver(),
        RailwayRedeployDriver(),
        RailwayDownDriver(),
        RailwayRollbackDriver(),
    ]

    /// Floods, whose catalog entries are still declared in Core.
    static let cloudSteps: [String: any StepDriver] = [
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
        try declared[key]?.dryRunArgv(p, environment: environment)
    }

    /// What a cloud step would pick, found with read-only calls only (`kubectl get`, `aws … describe-*` /
    /// `list-*`), for `firedrill plan`. Returns one line per target that would be picked; for a random pick of
    /// fewer than all, one line `N of M at random from: a, b, c`; for steps without targets, the state they would
    /// change (`deployment/api: 3 replicas now`). Nil for drivers with nothing to look up.
    public static func previewTargets(_ key: String, _ params: PlanNode) async throws -> [String]? {
        try await previewTargets(key, params, environment: [:])
    }

    static func previewTargets(_ key: String, _ params: PlanNode, environment: [String: String]) async throws -> [String]? {
        guard let driver = declared[key] else { return nil }
        return try await driver.previewTargets(DriverParams(spec: driver.spec, node: params), environment: environment)
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
