import FiredrillCore

/// `aws.ecs.stop-task`: lists the RUNNING tasks of a cluster (or of one service), picks among them, and stops
/// each picked task with the given reason. Task start times are read with `describe-tasks` only when the mode
/// needs them (`oldest`, `newest`).
public struct AWSECSStopTaskDriver: StepDriver, ProgramDriver {
    static let key = "aws.ecs.stop-task"

    public static let spec = DriverSpec(
        "aws.ecs.stop-task", role: .step, "Stops running ECS tasks of a cluster or service.",
        timeout: "2m",
        params: AWSParams.access + [
            ParamSpec("cluster", .string, required: true, "ECS cluster"),
            ParamSpec("service", .string, "only tasks of this service"),
            ParamSpec("reason", .string, default: "firedrill experiment", "reason recorded by ECS"),
        ] + DriverCatalog.selection(),
        rules: DriverCatalog.selectionRules,
        program: "aws"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [AWSCLI.argv("ecs", "list-tasks", try listArgs(p), access: AWSCLI.access(p)),
         AWSCLI.argv("ecs", "stop-task", try stopArgs(p, task: Kubectl.resolvedAtRunTime), access: AWSCLI.access(p))]
    }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? {
        let selection = try TargetSelection(p)
        let tasks = try await candidates(p, aws: AWSCLI(key: key, environment: environment),
                                         withAges: selection.mode == .oldest || selection.mode == .newest, context: BuiltinDrivers.previewContext)
        return try BuiltinDrivers.previewPick(tasks.map { ($0.arn, $0.started) }, p, explicitList: false)
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for every aws call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    /// A task that may be picked.
    struct RunningTask: Sendable {
        var arn: String
        var started: Double
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let aws = AWSCLI(key: Self.key, environment: environment)
        let cluster = try p.string("cluster")
        let selection = try TargetSelection(p)
        let tasks = try await Self.candidates(p, aws: aws, withAges: selection.mode == .oldest || selection.mode == .newest, context: context)
        let what = "running tasks in \(cluster)" + (p.optionalString("service").map { " of service \($0)" } ?? "")
        let picked = try selection.pick(tasks, age: \.started, maxTargets: context.maxTargets, driver: Self.key, what: what)
        await context.record(.targetsResolved, [
            "cluster": .string(cluster), "service": p.optionalString("service").map { .string($0) } ?? .null,
            "matched": .number(Double(tasks.count)), "picked": .array(picked.map { .string($0.arn) }),
        ])
        if picked.isEmpty { return StepOutcome(output: ["targets": []], summary: "no running task matched; skipped") }
        var stopped: [String] = []
        for task in picked {
            do {
                _ = try await aws.call("ecs", "stop-task", try Self.stopArgs(p, task: task.arn), access: AWSCLI.access(p), context: context)
                stopped.append(task.arn)
            } catch let error as DriverError {
                throw DriverError(Self.key, error.message + (stopped.isEmpty ? "" : "\n(already stopped: \(stopped.joined(separator: ", ")))"))
            }
        }
        return StepOutcome(output: ["targets": .array(stopped.map { .string($0) }), "cluster": .string(cluster)],
                           summary: "stopped \(stopped.count) task(s) in \(cluster): \(stopped.map(Self.shortID).joined(separator: ", "))")
    }

    static func listArgs(_ p: DriverParams) throws -> [String] {
        var args = ["--cluster=\(try p.string("cluster"))"]
        if let service = p.optionalString("service") { args.append("--service-name=\(service)") }
        return args + ["--desired-status", "RUNNING"]
    }

    static func stopArgs(_ p: DriverParams, task: String) throws -> [String] {
        ["--cluster=\(try p.string("cluster"))", "--task=\(task)", "--reason=\(p.text("reason") ?? "firedrill experiment")"]
    }

    static func candidates(_ p: DriverParams, aws: AWSCLI, withAges: Bool, context: DriverContext) async throws -> [RunningTask] {
        let listed = try await aws.call("ecs", "list-tasks", try listArgs(p), access: AWSCLI.access(p), context: context)
        let arns = (listed["taskArns"]?.arrayValue ?? []).compactMap(\.stringValue)
        guard withAges, !arns.isEmpty else { return arns.map { RunningTask(arn: $0, started: 0) } }
        var started: [String: Double] = [:]
        for chunkStart in stride(from: 0, to: arns.count, by: 100) {
            let chunk = Array(arns[chunkStart..<min(chunkStart + 100, arns.count)])
            let described = try await aws.call("ecs", "describe-tasks", ["--cluster=\(try p.string("cluster"))", "--tasks"] + chunk,
                                               access: AWSCLI.access(p), context: context)
            for task in described["tasks"]?.arrayValue ?? [] {
                guard let arn = task["taskArn"]?.stringValue else { continue }
                started[arn] = Self.time(task["startedAt"]) ?? Self.time(task["createdAt"]) ?? 0
            }
        }
        return arns.map { RunningTask(arn: $0, started: started[$0] ?? 0) }
    }

    /// ECS prints times as ISO strings (CLI v2) or epoch seconds (some v1 versions).
    static func time(_ value: JSONValue?) -> Double? {
        if let seconds = value?.doubleValue { return seconds }
        return value?.stringValue.flatMap(CloudCommand.parseTimestamp)
    }

    static func shortID(_ arn: String) -> String {
        String(arn.split(separator: "/").last ?? Substring(arn))
    }
}
