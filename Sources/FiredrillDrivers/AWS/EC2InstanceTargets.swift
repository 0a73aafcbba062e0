import FiredrillCore

/// Resolves the `ids` or `tags` of the EC2 drivers into running instances with
/// `aws ec2 describe-instances`, then picks among them by launch time.
///
/// With `ids`, every listed instance that is running is picked unless the plan says `count`, `percent` or `mode`.
struct EC2InstanceTargets {
    let key: String
    let params: DriverParams
    let aws: AWSCLI

    /// An instance that may be picked.
    struct Instance: Sendable {
        var id: String
        var launched: Double
    }

    /// The `describe-instances` arguments: the ids or one tag filter per tag, and the running state.
    func describeArgs() throws -> [String] {
        if let ids = params.list("ids"), !ids.isEmpty {
            for id in ids { try AWSCLI.checkIdentifier(id, key: key, what: "instance id") }
            return ["--instance-ids"] + ids + ["--filters", "Name=instance-state-name,Values=running"]
        }
        let tags = params.map("tags")
        guard !tags.isEmpty else { throw DriverError(key, "needs `ids` or `tags`") }
        let filters = tags.map { ("tag:\($0.0)", $0.1) } + [("instance-state-name", "running")]
        if filters.allSatisfy({ Self.isShorthandSafe($0.0) && Self.isShorthandSafe($0.1) }) {
            return ["--filters"] + filters.map { "Name=\($0.0),Values=\($0.1)" }
        }
        // A tag key or value with `,` `=` quotes or brackets cannot be written in the CLI's shorthand: use JSON.
        let json = JSONValue.array(filters.map { ["Name": .string($0.0), "Values": [.string($0.1)]] })
        return ["--filters", json.canonicalJSON()]
    }

    static func isShorthandSafe(_ text: String) -> Bool {
        !text.isEmpty && !text.contains(where: { ",=[]{}\"'\\ ".contains($0) })
    }

    var criterion: String {
        if let ids = params.list("ids"), !ids.isEmpty { return "instances \(ids.joined(separator: ", "))" }
        return "instances tagged " + params.map("tags").map { "\($0.0)=\($0.1)" }.joined(separator: ", ")
    }

    /// Running instances that match, before picking.
    func candidates(context: DriverContext) async throws -> [Instance] {
        let found = try await aws.call("ec2", "describe-instances", try describeArgs(), access: AWSCLI.access(params), context: context)
        var instances: [Instance] = []
        for reservation in found["Reservations"]?.arrayValue ?? [] {
            for instance in reservation["Instances"]?.arrayValue ?? [] {
                guard let id = instance["InstanceId"]?.stringValue,
                      instance["State"]?["Name"]?.stringValue.map({ $0 == "running" }) ?? true
                else { continue }
                let launched = instance["LaunchTime"]?.stringValue.flatMap(CloudCommand.parseTimestamp) ?? 0
                instances.append(Instance(id: id, launched: launched))
            }
        }
        return instances
    }

    /// Resolves, picks and journals the picked instance ids.
    func resolve(context: DriverContext) async throws -> [String] {
        let instances = try await candidates(context: context)
        let explicit = params.list("ids").map { !$0.isEmpty } ?? false
        let picked = try CloudCommand.selection(params, explicitList: explicit)
            .pick(instances, age: \.launched, maxTargets: context.maxTargets, driver: key, what: "running \(criterion)")
        // An id comes from the API: one the CLI would read as a flag is refused before anything is touched.
        for instance in picked { try AWSCLI.checkIdentifier(instance.id, key: key, what: "instance id") }
        await context.record(.targetsResolved, [
            "criterion": .string(criterion), "matched": .number(Double(instances.count)),
            "picked": .array(picked.map { .string($0.id) }),
        ])
        return picked.map(\.id)
    }

    /// The instances `aws.ec2.stop-instances` or `aws.ec2.reboot-instances` would pick, for `firedrill plan`.
    static func preview(key: String, _ p: DriverParams, environment: [String: String]) async throws -> [String] {
        let targets = EC2InstanceTargets(key: key, params: p, aws: AWSCLI(key: key, environment: environment))
        let instances = try await targets.candidates(context: BuiltinDrivers.previewContext)
        return try BuiltinDrivers.previewPick(instances.map { ($0.id, $0.launched) }, p, explicitList: p.list("ids").map { !$0.isEmpty } ?? false)
    }
}
