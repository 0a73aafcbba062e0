import FiredrillCore

extension BuiltinDrivers {
    /// The Kubernetes faults, each declaring its own catalog entry, dry-run argv and target preview, and their undos.
    static let kubernetes: [any RegisteredDriver] = [
        KubernetesPodDeleteDriver(),
        KubernetesScaleDriver(),
        KubernetesRolloutRestartDriver(),
        KubernetesRolloutUndoDriver(),
        KubernetesRolloutStatusDriver(),
        KubernetesCordonDriver(),
        KubernetesDrainDriver(),
        KubernetesScaleRestoreUndo(),
        KubernetesUncordonUndo(),
    ]

    /// The AWS faults and their undos.
    static let aws: [any RegisteredDriver] = [
        AWSEC2StopInstancesDriver(),
        AWSEC2RebootInstancesDriver(),
        AWSRDSFailoverDBClusterDriver(),
        AWSRDSRebootDBInstanceDriver(),
        AWSECSStopTaskDriver(),
        AWSECSUpdateServiceDriver(),
        AWSElastiCacheTestFailoverDriver(),
        AWSRoute53FailoverDriver(),
        AWSEC2StartInstancesUndo(),
        AWSECSRestoreServiceUndo(),
        AWSRoute53RestoreRecordUndo(),
    ]

    /// The Railway faults.
    static let railway: [any RegisteredDriver] = [
        RailwayRestartDriver(),
        RailwayRedeployDriver(),
        RailwayDownDriver(),
        RailwayRollbackDriver(),
    ]

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
