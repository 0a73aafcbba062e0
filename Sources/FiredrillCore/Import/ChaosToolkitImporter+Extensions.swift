extension Translation {
    /// A Python activity of a Chaos Toolkit extension, mapped to a Firedrill driver with its parameters, or why not.
    enum PythonMapping {
        case mapped(key: String, params: [ImportedYAML.Entry])
        case refused(String)
    }

    /// The extension activities with a Firedrill equivalent. An argument the driver cannot express refuses the
    /// whole activity rather than dropping it.
    mutating func pythonActivity(module: String, function: String, arguments: PlanNode?) -> PythonMapping {
        var args = Arguments(node: arguments, translation: self)
        let mapping: PythonMapping
        switch "\(module).\(function)" {
        case "chaosk8s.pod.actions.terminate_pods":
            mapping = terminatePods(&args)
        case "chaosk8s.deployment.actions.scale_deployment":
            var params = args.kubernetes()
            params.append(.init("deployment", args.string("name", required: true)))
            params.append(.init("replicas", args.literal("replicas", required: true)))
            mapping = .mapped(key: "kubernetes.scale", params: params)
        case "chaosk8s.deployment.actions.rollout_deployment":
            var params = args.kubernetes()
            params.append(.init("deployment", args.string("name", required: true)))
            mapping = .mapped(key: "kubernetes.rollout-restart", params: params)
        case "chaosaws.ec2.actions.stop_instances":
            var params = args.aws(region: awsRegion)
            if args.has("instance_ids") {
                params.append(.init("ids", args.list("instance_ids")))
                params.append(.init("mode", .string("all")))
            } else if let filters = args.take("filters")?.sequence {
                var tags: [ImportedYAML.Entry] = []
                for filter in filters {
                    guard let name = filter["Name"]?.scalar, name.hasPrefix("tag:"),
                          let values = filter["Values"]?.sequence?.compactMap(\.scalar), values.count == 1 else {
                        return .refused("only `tag:NAME` filters with one value map to `tags`")
                    }
                    tags.append(.init(String(name.dropFirst(4)), .string(text(values[0]))))
                }
                params.append(.init("tags", .map(tags)))
                params.append(.init("mode", .string("all")))
            } else {
                return .refused("stop_instances without `instance_ids` or tag filters (an availability zone alone) has no Firedrill equivalent")
            }
            if args.has("force") { params.append(.init("force", args.literal("force"))) }
            mapping = .mapped(key: "aws.ec2.stop-instances", params: params)
        case "chaosaws.ecs.actions.stop_task":
            if args.has("task_arn") { return .refused("stopping one task by ARN: aws.ecs.stop-task picks tasks of a cluster or service") }
            var params = args.aws(region: awsRegion)
            params.append(.init("cluster", args.string("cluster", required: true)))
            if args.has("service") { params.append(.init("service", args.string("service"))) }
            _ = args.take("reason")
            mapping = .mapped(key: "aws.ecs.stop-task", params: params)
        case "chaosaws.rds.actions.failover_db_cluster":
            var params = args.aws(region: awsRegion)
            params.append(.init("cluster", args.string("db_cluster_identifier", required: true)))
            if args.has("target_db_instance_identifier") {
                params.append(.init("target-instance", args.string("target_db_instance_identifier")))
            }
            mapping = .mapped(key: "aws.rds.failover-db-cluster", params: params)
        case "chaosaws.rds.actions.reboot_db_instance":
            var params = args.aws(region: awsRegion)
            params.append(.init("instance", args.string("db_instance_identifier", required: true)))
            if args.has("force_failover") { params.append(.init("force-failover", args.literal("force_failover"))) }
            mapping = .mapped(key: "aws.rds.reboot-db-instance", params: params)
        default:
            return .refused("the Python activity `\(module).\(function)` has no Firedrill equivalent")
        }
        if let missing = args.missing { return .refused("its argument `\(missing)` is required") }
        if !args.unused.isEmpty {
            return .refused("its argument(s) \(args.unused.map { "`\($0)`" }.joined(separator: ", ")) have no Firedrill equivalent")
        }
        notes.append(contentsOf: args.notes)
        return mapping
    }

    /// `terminate_pods` → `kubernetes.pod-delete`: `label_selector` → `selector`, `qty` → `count` (or `percent`
    /// with `mode: percentage`), `all` → `mode: all`, `rand` → `mode: random`, `order: oldest` → `mode: oldest`,
    /// `grace_period` → `grace`.
    func terminatePods(_ args: inout Arguments) -> PythonMapping {
        if args.has("name_pattern") { return .refused("selecting pods by `name_pattern`: kubernetes.pod-delete selects by label") }
        var params = args.kubernetes()
        params.append(.init("selector", args.string("label_selector", required: true)))
        let all = args.take("all")?.scalar == "true"
        let random = args.take("rand")?.scalar == "true"
        let order = args.take("order")?.scalar ?? "alphabetic"
        let percentage = args.take("mode")?.scalar == "percentage"
        if all {
            params.append(.init("mode", .string("all")))
            _ = args.take("qty")
        } else {
            let qty = args.take("qty")?.scalar ?? "1"
            params.append(percentage ? .init("percent", .string("\(qty)%")) : .init("count", .literal(qty)))
            if random {
                params.append(.init("mode", .string("random")))
            } else if order == "oldest" {
                params.append(.init("mode", .string("oldest")))
            } else {
                params.append(.init("mode", .string("oldest")))
                args.notes.append("terminate_pods picked pods alphabetically; kubernetes.pod-delete has no alphabetical order, so `mode: oldest` was chosen")
            }
        }
        if let grace = args.take("grace_period")?.scalar.flatMap(Double.init), grace >= 0 {
            params.append(.init("grace", .string(Translation.duration(seconds: grace))))
        }
        return .mapped(key: "kubernetes.pod-delete", params: params)
    }

    /// An activity's `arguments`, consumed one by one so that anything left over refuses the mapping.
    struct Arguments {
        var values: [String: PlanNode] = [:]
        var order: [String] = []
        var missing: String?
        var notes: [String] = []
        let substitutions: [String: String]

        init(node: PlanNode?, translation: Translation) {
            for e in node?.entries ?? [] where values[e.key] == nil {
                values[e.key] = e.value
                order.append(e.key)
            }
            substitutions = translation.substitutions
        }

        var unused: [String] { order.filter { values[$0] != nil } }

        func has(_ key: String) -> Bool { values[key] != nil }

        mutating func take(_ key: String) -> PlanNode? { values.removeValue(forKey: key) }

        func text(_ s: String) -> String {
            var out = s
            for (name, replacement) in substitutions { out = out.replacingOccurrences(of: "${\(name)}", with: replacement) }
            return out
        }

        mutating func string(_ key: String, required: Bool = false) -> ImportedYAML {
            guard let value = take(key)?.scalar else {
                if required, missing == nil { missing = key }
                return .string("")
            }
            return .string(text(value))
        }

        mutating func literal(_ key: String, required: Bool = false) -> ImportedYAML {
            guard let node = take(key), let value = node.scalar else {
                if required, missing == nil { missing = key }
                return .literal("0")
            }
            return node.isQuoted || value.contains("${") ? .string(text(value)) : .literal(value)
        }

        mutating func list(_ key: String) -> ImportedYAML {
            let node = take(key)
            if let items = node?.sequence { return .list(items.compactMap(\.scalar).map { .string(text($0)) }) }
            return .list(node?.scalar.map { [.string(text($0))] } ?? [])
        }

        /// `ns` → `namespace`; the Kubernetes secrets Chaos Toolkit passes are the kubeconfig's business here.
        mutating func kubernetes() -> [ImportedYAML.Entry] {
            guard has("ns") else { return [] }
            return [.init("namespace", string("ns"))]
        }

        /// `region` from the experiment's `aws_region` configuration, when it has one.
        mutating func aws(region: String?) -> [ImportedYAML.Entry] {
            region.map { [.init("region", .string($0))] } ?? []
        }
    }
}
