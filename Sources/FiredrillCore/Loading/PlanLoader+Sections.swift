import Foundation

extension PlanLoader {
    /// A scalar as a string; an error when it is a list or map.
    mutating func string(_ node: PlanNode, _ what: String) -> String? {
        guard let s = node.scalar, !node.isNull else {
            error(node.location, "`\(what)` must be a string, but this is \(node.kindName)")
            return nil
        }
        return s
    }

    /// `true` or `false`; nil (with an error) for anything else.
    mutating func boolean(_ node: PlanNode, _ what: String) -> Bool? {
        guard let raw = string(node, what) else { return nil }
        switch raw {
        case "true": return true
        case "false": return false
        default:
            error(node.location, "`\(what)` must be true or false, but this is `\(raw)`")
            return nil
        }
    }

    mutating func stringList(_ node: PlanNode, _ what: String) -> [String] {
        guard let items = node.sequence else {
            error(node.location, "`\(what)` must be a list, but this is \(node.kindName)", hint: "write `\(what): [a, b]`")
            return []
        }
        return items.compactMap { string($0, what) }
    }

    /// A duration value, substituting known vars first; nil (with an error) when it is not one.
    mutating func duration(_ node: PlanNode, _ what: String) -> Duration? {
        guard let raw = string(node, what) else { return nil }
        let text = resolveKnown(raw)
        if Self.hasReferences(text) { return nil }
        do {
            return try DurationSyntax.parse(text)
        } catch {
            self.error(node.location, "`\(what)`: \(error.message)\(raw == text ? "" : " (`\(raw)` is `\(text)`)")", hint: error.hint)
            return nil
        }
    }

    mutating func integer(_ node: PlanNode, _ what: String, min: Int?, max: Int?) -> Int? {
        guard let raw = string(node, what) else { return nil }
        let text = resolveKnown(raw)
        if Self.hasReferences(text) { return nil }
        guard let value = Int(text) else {
            error(node.location, "`\(what)` must be a whole number, but this is `\(text)`")
            return nil
        }
        if let min, value < min {
            error(node.location, "`\(what)` is \(value), below the minimum of \(min)", hint: value < 0 ? "counts cannot be negative" : nil)
            return nil
        }
        if value > max ?? ParamType.largestInteger {
            error(node.location, "`\(what)` is \(value), above the maximum of \(max ?? ParamType.largestInteger)")
            return nil
        }
        return value
    }

    /// True when `text` still holds a `${…}` after known vars were substituted: a reference resolved only at run
    /// time, or a malformed one that `checkReferences` reports. Either way its value cannot be checked now.
    static func hasReferences(_ text: String) -> Bool {
        let found = Interpolation.references(in: text)
        return !found.refs.isEmpty || !found.errors.isEmpty
    }

    /// Substitutes `${name}` references to vars declared in the plan; others stay as written.
    func resolveKnown(_ text: String) -> String {
        Interpolation.substitute(text) { target in
            if case .variable(let name) = target { return variables[name] }
            return nil
        }
    }

    mutating func mapping(_ node: PlanNode, _ what: String, keys: [ParamSpec]) -> [PlanNode.Entry]? {
        guard let entries = node.entries else {
            error(node.location, "`\(what)` must be a map, but this is \(node.kindName)")
            return nil
        }
        checkKeys(entries, allowed: keys.map(\.name), context: "`\(what)`")
        for spec in keys where spec.required && node.entry(spec.name) == nil {
            error(node.location, "`\(what)` is missing `\(spec.name)` (\(spec.summary))")
        }
        return entries
    }

    mutating func loadVariables(_ node: PlanNode) -> [PlanVariable] {
        guard let entries = node.entries else {
            error(node.location, "`vars` must be a map of names to values, but this is \(node.kindName)")
            return []
        }
        checkKeys(entries, allowed: entries.map(\.key), context: "`vars`")
        var result: [PlanVariable] = []
        var raw = overrides
        for entry in entries {
            guard let value = entry.value.scalar else {
                error(entry.value.location, "var `\(entry.key)` must be a single value, but this is \(entry.value.kindName)")
                continue
            }
            if Interpolation.parse(entry.key) == nil || entry.key.contains(".") {
                error(entry.keyLocation, "invalid var name `\(entry.key)`: use letters, digits, '_' and '-'")
            }
            for ref in Interpolation.references(in: value).refs {
                guard case .step = ref.target else { continue }
                error(entry.value.location, "var `\(entry.key)` references `${\(ref.expression)}`: a var cannot hold a step's result",
                      hint: "reference `${\(ref.expression)}` where the value is used; it is known only once that step has run")
                break
            }
            // A `--var` replaces the plan's value before anything is resolved, so vars built on it follow it.
            raw[entry.key] = overrides[entry.key] ?? value
            result.append(PlanVariable(name: entry.key, value: raw[entry.key] ?? value, location: entry.value.location, planValue: value))
        }
        let resolution = VariableGraph(raw: raw, order: result.map(\.name)).resolve()
        let locations = Dictionary(result.map { ($0.name, $0.location) }, uniquingKeysWith: { first, _ in first })
        for cycle in resolution.cycles {
            let path = cycle.map { name in "`\(name)`" + (locations[name].map { " (line \($0.line))" } ?? "") }.joined(separator: " → ")
            let at = cycle.first.flatMap { locations[$0] } ?? node.location
            error(at, "vars reference each other in a cycle: \(path)",
                  hint: "a var may use another var's value, but the chain must end in plain values")
        }
        for (name, value) in resolution.values { variables[name] = value }
        for i in result.indices { result[i].value = resolution.values[result[i].name] ?? result[i].value }
        return result
    }

    mutating func loadSecrets(_ node: PlanNode) -> [SecretReference] {
        guard let entries = node.entries else {
            error(node.location, "`secrets` must be a map: name: { env: VAR } or name: { file: path }")
            return []
        }
        checkKeys(entries, allowed: entries.map(\.key), context: "`secrets`")
        var result: [SecretReference] = []
        for entry in entries {
            secretNames.insert(entry.key)
            guard let fields = mapping(entry.value, "secrets.\(entry.key)", keys: PlanSchema.secretSource) else { continue }
            let sources = fields.filter { $0.key == "env" || $0.key == "file" }
            guard sources.count == 1, let source = sources.first, let value = string(source.value, source.key) else {
                if sources.count != 1 {
                    error(entry.value.location, "secret `\(entry.key)` needs exactly one of `env` or `file`")
                }
                continue
            }
            let s: SecretReference.Source = source.key == "env" ? .environment(value) : .file(value)
            result.append(SecretReference(name: entry.key, source: s, location: entry.keyLocation))
        }
        return result
    }

    mutating func loadLimits(_ node: PlanNode) -> Limits {
        var limits = Limits()
        guard mapping(node, "limits", keys: PlanSchema.limits) != nil else { return limits }
        if let d = node["duration"].flatMap({ duration($0, "limits.duration") }) { limits.duration = d }
        if let m = node["max-targets"].flatMap({ integer($0, "limits.max-targets", min: 1, max: nil) }) { limits.maxTargets = m }
        if let r = node["rollbacks"].flatMap({ duration($0, "limits.rollbacks") }) { limits.rollbacks = r }
        return limits
    }

    mutating func loadObjectives(_ node: PlanNode) -> Objectives? {
        guard mapping(node, "objectives", keys: PlanSchema.objectives) != nil else { return nil }
        return Objectives(
            rto: node["rto"].flatMap { duration($0, "objectives.rto") },
            rpo: node["rpo"].flatMap { duration($0, "objectives.rpo") }
        )
    }

    mutating func loadSchedule(_ node: PlanNode) -> Schedule? {
        if let text = node.scalar, !node.isNull {
            error(node.location, "`schedule` must be a map, but this is \(node.kindName)",
                  hint: "write `schedule: { cron: \"\(text)\", timezone: UTC }`")
            return nil
        }
        guard mapping(node, "schedule", keys: PlanSchema.schedule) != nil,
              let cronNode = node["cron"], let cron = string(cronNode, "schedule.cron") else { return nil }
        do {
            _ = try CronExpression.parse(cron)
        } catch {
            self.error(cronNode.location, "invalid cron expression `\(cron)`: \(error.message)",
                       hint: error.hint ?? "five fields: minute hour day-of-month month day-of-week, e.g. \"0 3 1 * *\"")
        }
        var timezone = "UTC"
        if let tzNode = node["timezone"], let tz = string(tzNode, "schedule.timezone") {
            if CronExpression.isValidTimeZone(tz) {
                timezone = tz
            } else {
                error(tzNode.location, "unknown time zone `\(tz)`", hint: "use an IANA name such as UTC, Europe/Berlin or Asia/Kolkata")
            }
        }
        return Schedule(cron: cron, timezone: timezone)
    }

    mutating func loadHeartbeat(_ node: PlanNode) -> HeartbeatSpec? {
        guard mapping(node, "heartbeat", keys: PlanSchema.heartbeat) != nil, let pg = node["postgres"],
              mapping(pg, "heartbeat.postgres", keys: PlanSchema.heartbeatPostgres) != nil else { return nil }
        let every = pg["every"].flatMap { duration($0, "heartbeat.postgres.every") } ?? .milliseconds(200)
        if every < .milliseconds(10), pg["every"] != nil {
            error(pg["every"]!.location, "`heartbeat.postgres.every` must be at least 10ms")
        }
        guard let dsn = pg["dsn"].flatMap({ string($0, "dsn") }) else { return nil }
        let table = pg["table"].flatMap { string($0, "table") } ?? "firedrill_heartbeat"
        checkIdentifier(table, at: pg["table"]?.location ?? pg.location)
        let lead = node["lead"].flatMap { duration($0, "heartbeat.lead") }
        return HeartbeatSpec(dsn: dsn, every: every, table: table, lead: lead, location: node.location)
    }

    mutating func loadRPO(_ node: PlanNode) -> RPOSpec? {
        let modes = [
            ParamSpec("heartbeat", .stringMap, "newest acknowledged heartbeat marker vs newest surviving one"),
            ParamSpec("query", .stringMap, "newest timestamp on the primary just before the disaster − newest on the recovered side"),
            ParamSpec("backup", .stringMap, "disaster time − the newest backup's stop time"),
        ]
        guard let entries = mapping(node, "rpo", keys: modes) else { return nil }
        guard entries.count == 1, let entry = entries.first else {
            error(node.location, "`rpo` takes exactly one of `heartbeat`, `query` or `backup`")
            return nil
        }
        switch entry.key {
        case "heartbeat":
            guard mapping(entry.value, "rpo.heartbeat", keys: PlanSchema.rpoHeartbeat) != nil,
                  let dsn = entry.value["dsn"].flatMap({ string($0, "dsn") }) else { return nil }
            let table = entry.value["table"].flatMap { string($0, "table") } ?? "firedrill_heartbeat"
            checkIdentifier(table, at: entry.value["table"]?.location ?? entry.value.location)
            return .heartbeat(dsn: dsn, table: table)
        case "query":
            guard mapping(entry.value, "rpo.query", keys: PlanSchema.rpoQuery) != nil,
                  let dsn = entry.value["dsn"].flatMap({ string($0, "dsn") }),
                  let query = entry.value["query"].flatMap({ string($0, "query") }) else { return nil }
            let primary = entry.value["primary"].flatMap { string($0, "primary") }
            return .query(dsn: dsn, query: query, primary: primary)
        case "backup":
            guard mapping(entry.value, "rpo.backup", keys: PlanSchema.rpoBackup) != nil else { return nil }
            let stanza = entry.value["pgbackrest-stanza"].flatMap { string($0, "pgbackrest-stanza") }
            let manifest = entry.value["manifest"].flatMap { string($0, "manifest") }
            if (stanza == nil) == (manifest == nil) {
                error(entry.value.location, "`rpo.backup` takes exactly one of `pgbackrest-stanza` or `manifest`")
                return nil
            }
            return .backup(stanza: stanza, manifest: manifest)
        default:
            return nil
        }
    }

    mutating func checkIdentifier(_ name: String, at location: SourceLocation) {
        let ok = !name.isEmpty && name.count <= 63 && name.first.map({ $0.isLetter || $0 == "_" }) == true
            && name.allSatisfy { ($0.isLetter && $0.isASCII) || $0.isNumber || $0 == "_" }
        if !ok {
            error(location, "`\(name)` is not a plain SQL identifier (letters, digits, '_')")
        }
    }
}
