import FiredrillCore

/// `aws.ecs.update-service`: changes a service's desired count and/or task definition, or forces a new
/// deployment. The service is read first; the `aws.ecs.restore-service` undo with the old desired count and task
/// definition (whichever the step changes) is journaled before the update. `previous-task-definition: true`
/// deploys revision N−1 of the service's current task definition family.
public struct AWSECSUpdateServiceDriver: StepDriver, ProgramDriver {
    static let key = "aws.ecs.update-service"

    public static let spec = DriverSpec(
        "aws.ecs.update-service", role: .step, "Changes an ECS service's desired count, forces a deployment, or rolls back its task definition.",
        timeout: "5m",
        params: AWSParams.access + [
            ParamSpec("cluster", .string, required: true, "ECS cluster"),
            ParamSpec("service", .string, required: true, "ECS service"),
            ParamSpec("desired-count", .integer(min: 0, max: nil), "new desired count"),
            ParamSpec("force-new-deployment", .boolean, default: "false", "`--force-new-deployment`"),
            ParamSpec("task-definition", .string, "task definition to deploy"),
            ParamSpec("previous-task-definition", .boolean, default: "false", "deploy the revision before the current one"),
        ],
        rules: [.atMostOne(["task-definition", "previous-task-definition"])],
        undo: "the previous desired count and task definition restored",
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        let later = Kubectl.resolvedAtRunTime
        var argvs = [AWSCLI.argv("ecs", "describe-services", try describeArgs(p), access: AWSCLI.access(p))]
        var definition = p.optionalString("task-definition")
        if try p.bool("previous-task-definition") {
            argvs.append(AWSCLI.argv("ecs", "describe-task-definition", ["--task-definition=\(later)"], access: AWSCLI.access(p)))
            argvs.append(AWSCLI.argv("ecs", "describe-task-definition", ["--task-definition=\(later)"], access: AWSCLI.access(p)))
            definition = later
        }
        argvs.append(AWSCLI.argv("ecs", "update-service", try updateArgs(
            p, desiredCount: try p.int("desired-count"), taskDefinition: definition, force: try p.bool("force-new-deployment")), access: AWSCLI.access(p)))
        return argvs
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        let state = try await read(p, aws: AWSCLI(key: key, environment: environment), context: BuiltinDrivers.previewContext)
        return ["\(try p.string("service")): desired count \(state.desiredCount), task definition \(state.taskDefinition)"]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    /// The service as it is before the step.
    struct ServiceState: Sendable {
        var desiredCount: Int
        var taskDefinition: String
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let aws = AWSCLI(key: Self.key, environment: environment)
        let cluster = try p.string("cluster")
        let service = try p.string("service")
        let desired = try p.int("desired-count")
        let force = try p.bool("force-new-deployment")
        let usePrevious = try p.bool("previous-task-definition")
        guard desired != nil || force || usePrevious || p.optionalString("task-definition") != nil else {
            throw DriverError(Self.key, "nothing to change: give `desired-count`, `task-definition`, `previous-task-definition` or `force-new-deployment`")
        }
        let before = try await Self.read(p, aws: aws, context: context)
        var taskDefinition = p.optionalString("task-definition")
        if usePrevious {
            taskDefinition = try await Self.previousRevision(of: before.taskDefinition, p: p, aws: aws, context: context)
        }
        await context.record(.targetsResolved, [
            "cluster": .string(cluster), "service": .string(service),
            "desired-count": .number(Double(before.desiredCount)), "task-definition": .string(before.taskDefinition),
        ])
        var undoParams = AWSCLI.accessJSON(p)
        undoParams["cluster"] = .string(cluster)
        undoParams["service"] = .string(service)
        var restores: [String] = []
        if desired != nil {
            undoParams["desired-count"] = .number(Double(before.desiredCount))
            restores.append("desired count \(before.desiredCount)")
        }
        if taskDefinition != nil {
            undoParams["task-definition"] = .string(before.taskDefinition)
            restores.append("task definition \(before.taskDefinition)")
        }
        if !restores.isEmpty {
            _ = try await context.willApply(UndoAction(key: "aws.ecs.restore-service", params: .object(undoParams),
                                                       description: "restore \(service) in \(cluster) to \(restores.joined(separator: " and "))"))
        }
        let answer = try await aws.call("ecs", "update-service",
                                        try Self.updateArgs(p, desiredCount: desired, taskDefinition: taskDefinition, force: force),
                                        access: AWSCLI.access(p), context: context)
        let now = answer["service"]
        var changes: [String] = []
        if let desired { changes.append("desired count \(before.desiredCount) → \(desired)") }
        if let taskDefinition { changes.append("task definition → \(taskDefinition)") }
        if force { changes.append("new deployment forced") }
        return StepOutcome(output: [
            "cluster": .string(cluster), "service": .string(service),
            "previous-desired-count": .number(Double(before.desiredCount)), "previous-task-definition": .string(before.taskDefinition),
            "desired-count": now?["desiredCount"] ?? .null, "task-definition": now?["taskDefinition"] ?? .null,
        ], summary: "updated \(service) in \(cluster): \(changes.joined(separator: ", "))")
    }

    static func describeArgs(_ p: DriverParams) throws -> [String] {
        ["--cluster=\(try p.string("cluster"))", "--services", try p.string("service")]
    }

    static func updateArgs(_ p: DriverParams, desiredCount: Int?, taskDefinition: String?, force: Bool) throws -> [String] {
        var args = ["--cluster=\(try p.string("cluster"))", "--service=\(try p.string("service"))"]
        if let desiredCount { args.append("--desired-count=\(desiredCount)") }
        if let taskDefinition { args.append("--task-definition=\(taskDefinition)") }
        if force { args.append("--force-new-deployment") }
        return args
    }

    static func read(_ p: DriverParams, aws: AWSCLI, context: DriverContext) async throws -> ServiceState {
        let service = try p.string("service")
        try AWSCLI.checkIdentifier(service, key: p.key, what: "service")
        let described = try await aws.call("ecs", "describe-services", try describeArgs(p), access: AWSCLI.access(p), context: context)
        guard let found = described["services"]?[0], let count = found["desiredCount"]?.intValue,
              let definition = found["taskDefinition"]?.stringValue
        else {
            let reason = described["failures"]?[0]?["reason"]?.stringValue ?? "not found"
            throw DriverError(p.key, "service `\(service)` in cluster `\(try p.string("cluster"))`: \(reason)")
        }
        return ServiceState(desiredCount: count, taskDefinition: definition)
    }

    /// `family:(revision − 1)` of `current`, checked to exist.
    static func previousRevision(of current: String, p: DriverParams, aws: AWSCLI, context: DriverContext) async throws -> String {
        let described = try await aws.call("ecs", "describe-task-definition", ["--task-definition=\(current)"], access: AWSCLI.access(p), context: context)
        guard let family = described["taskDefinition"]?["family"]?.stringValue,
              let revision = described["taskDefinition"]?["revision"]?.intValue
        else { throw DriverError(p.key, "could not read the family and revision of \(current)") }
        guard revision > 1 else { throw DriverError(p.key, "\(family):\(revision) is the first revision; there is no previous one") }
        let previous = "\(family):\(revision - 1)"
        let check = try await aws.call("ecs", "describe-task-definition", ["--task-definition=\(previous)"], access: AWSCLI.access(p), context: context)
        return check["taskDefinition"]?["taskDefinitionArn"]?.stringValue ?? previous
    }
}
