/// Renders the reference part of `docs/plan-format.md` from the driver catalog and `PlanSchema`, so the document
/// cannot drift from what `firedrill validate` accepts.
///
/// The output sits in the document between `beginMarker` and `endMarker`; `replacingGeneratedBlock(in:)` swaps a
/// fresh rendering in.
public enum CatalogDocGenerator {
    public static let beginMarker = "<!-- BEGIN GENERATED: catalog -->"
    public static let endMarker = "<!-- END GENERATED: catalog -->"

    /// The whole generated reference: plan sections first, then every driver grouped by family.
    public static func markdown(_ catalog: DriverCatalog) -> String {
        var out: [String] = []
        out.append("## Reference (generated from the driver catalog)")
        out.append("")
        out.append("Everything below is generated from the same declarations the validator reads; do not edit it by hand.")
        out.append("")
        out += sections()
        out += driverIndex(catalog)
        for (family, specs) in families(catalog) {
            out.append("### \(familyTitle(family))")
            out.append("")
            for spec in specs { out += driver(spec) }
        }
        while out.last == "" { out.removeLast() }
        return out.joined(separator: "\n") + "\n"
    }

    /// `document` with the text between the markers replaced by `markdown()`; nil when a marker is missing.
    public static func replacingGeneratedBlock(in document: String, catalog: DriverCatalog) -> String? {
        guard let begin = document.range(of: beginMarker),
              let end = document.range(of: endMarker, range: begin.upperBound..<document.endIndex) else { return nil }
        return String(document[..<begin.upperBound]) + "\n" + markdown(catalog) + String(document[end.lowerBound...])
    }

    /// The text currently between the markers of `document`, without the newlines that frame it.
    public static func generatedBlock(in document: String) -> String? {
        guard let begin = document.range(of: beginMarker),
              let end = document.range(of: endMarker, range: begin.upperBound..<document.endIndex) else { return nil }
        var block = String(document[begin.upperBound..<end.lowerBound])
        if block.hasPrefix("\n") { block.removeFirst() }
        return block
    }

    // MARK: - Plan sections

    static func sections() -> [String] {
        var out: [String] = []
        out.append("### Plan sections")
        out.append("")
        let groups: [(title: String, note: String, params: [ParamSpec])] = [
            ("Top-level keys", "Keys marked *drill* are refused in an Experiment; `method` and `effect` are refused in a Drill.", PlanSchema.topLevel),
            ("Keys every probe accepts", "A probe is a map with exactly one driver key plus any of these.", PlanSchema.probeCommon),
            ("Keys every step accepts", "A step is a map with exactly one driver key plus any of these.", PlanSchema.stepCommon),
            ("`limits`", "", PlanSchema.limits),
            ("`objectives`", "A Drill sets at least one of them.", PlanSchema.objectives),
            ("`schedule`", "", PlanSchema.schedule),
            ("`notify` entries", "Each entry has exactly one of `webhook` and `slack`.", PlanSchema.notify),
            ("`secrets.NAME`", "Exactly one of `env` and `file`.", PlanSchema.secretSource),
            ("`heartbeat`", "", PlanSchema.heartbeat),
            ("`heartbeat.postgres`", "", PlanSchema.heartbeatPostgres),
            ("`rpo.heartbeat`", "`rpo` takes exactly one of `heartbeat`, `query` and `backup`.", PlanSchema.rpoHeartbeat),
            ("`rpo.query`", "", PlanSchema.rpoQuery),
            ("`rpo.backup`", "Exactly one of `pgbackrest-stanza` and `manifest`.", PlanSchema.rpoBackup),
        ]
        for group in groups {
            out.append("#### \(group.title)")
            out.append("")
            if !group.note.isEmpty {
                out.append(group.note)
                out.append("")
            }
            out += paramTable(group.params, drillOnly: group.title == "Top-level keys" ? PlanSchema.drillOnly : [])
            out.append("")
        }
        return out
    }

    // MARK: - Drivers

    static func families(_ catalog: DriverCatalog) -> [(String, [DriverSpec])] {
        var order: [String] = []
        var byFamily: [String: [DriverSpec]] = [:]
        for spec in catalog.all {
            if byFamily[spec.family] == nil { order.append(spec.family) }
            byFamily[spec.family, default: []].append(spec)
        }
        return order.map { ($0, byFamily[$0] ?? []) }
    }

    static func familyTitle(_ family: String) -> String {
        switch family {
        case "http": return "HTTP (`http`)"
        case "tcp": return "TCP (`tcp`)"
        case "postgres": return "PostgreSQL (`postgres`)"
        case "command": return "Commands (`command`)"
        case "prometheus": return "Prometheus (`prometheus`)"
        case "traffic": return "Traffic (`traffic`)"
        case "wait": return "Waiting (`wait`)"
        case "parallel": return "Running steps together (`parallel`)"
        case "until": return "Polling until a probe passes (`until`)"
        case "manual": return "Operator steps (`manual`)"
        case "process": return "Local processes (`process.*`)"
        case "flood": return "Floods (`flood.*`)"
        case "kubernetes": return "Kubernetes (`kubernetes.*`)"
        case "aws": return "AWS (`aws.*`)"
        case "railway": return "Railway (`railway.*`)"
        default: return "`\(family)`"
        }
    }

    static func roleText(_ role: DriverRole) -> String {
        switch (role.contains(.probe), role.contains(.step)) {
        case (true, true): return "probe and step"
        case (true, false): return "probe"
        default: return "step"
        }
    }

    static func driverIndex(_ catalog: DriverCatalog) -> [String] {
        var out = ["### Drivers at a glance", "", "| driver | role | what it does |", "|---|---|---|"]
        for spec in catalog.all {
            out.append("| [`\(spec.key)`](#\(anchor(spec.key))) | \(roleText(spec.role)) | \(cell(spec.summary)) |")
        }
        out.append("")
        return out
    }

    /// The anchor GitHub derives from a `#### \`key\`` heading.
    static func anchor(_ key: String) -> String {
        String(key.lowercased().filter { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
    }

    static func driver(_ spec: DriverSpec) -> [String] {
        var out = ["#### `\(spec.key)`", "", spec.summary, ""]
        var facts: [(String, String)] = [
            ("role", roleText(spec.role)),
            ("default timeout", spec.defaultTimeout == "none" ? "none (bounded by `limits.duration`)" : spec.defaultTimeout),
            ("undo", spec.undo.map(cell) ?? "none"),
            ("runs", spec.program.map { "`\($0)`" } ?? "in process"),
        ]
        if !spec.fields.isEmpty {
            facts.append(("observes", spec.fields.map { "`\($0.name)`" }.joined(separator: ", ")))
        }
        if let shorthand = spec.shorthand, let p = spec.param(shorthand) {
            let example = p.type == .argv ? "[program, arg…]" : p.type == .duration ? "5m" : "[…]"
            facts.append(("shorthand", "`\(spec.key): \(example)` means `\(spec.key): { \(shorthand): \(example) }`"))
        }
        out.append("| | |")
        out.append("|---|---|")
        for (name, value) in facts { out.append("| \(name) | \(value) |") }
        out.append("")
        out += paramTable(spec.params)
        if !spec.rules.isEmpty {
            out.append("")
            out.append("Rules:")
            for rule in spec.rules { out.append("- \(ruleText(rule))") }
        }
        if !spec.fields.isEmpty {
            out += ["", "Observed fields, for `expect`:", "", "| field | kind | meaning |", "|---|---|---|"]
            for field in spec.fields {
                out.append("| `\(field.name)` | \(cell(field.kindSummary)) | \(cell(field.summary)) |")
            }
        }
        out.append("")
        return out
    }

    static func ruleText(_ rule: ParamRule) -> String {
        switch rule {
        case .exactlyOne(let names): return "exactly one of \(names.map { "`\($0)`" }.joined(separator: ", "))"
        case .atMostOne(let names): return "at most one of \(names.map { "`\($0)`" }.joined(separator: ", "))"
        case .requires(let name, let needed): return "`\(name)` needs \(needed.map { "`\($0)`" }.joined(separator: " and "))"
        }
    }

    static func paramTable(_ params: [ParamSpec], drillOnly: Set<String> = []) -> [String] {
        guard !params.isEmpty else { return ["(no parameters)"] }
        var out = ["| key | type | required | default | meaning |", "|---|---|---|---|---|"]
        for p in params {
            let meaning = drillOnly.contains(p.name) && !p.summary.hasPrefix("drill") ? "*drill:* " + p.summary : p.summary
            out.append("| `\(p.name)` | \(cell(drillOnly.isEmpty ? p.type.summary : sectionType(p))) | \(p.required ? "yes" : "") | \(p.defaultValue.map { "`\($0)`" } ?? "") | \(cell(meaning)) |")
            // A map of options (`tls: { ca, cert… }`) lists each option on a row of its own, under its parameter.
            for option in options(of: p.type) {
                let rule = option.rules.compactMap { rule -> String? in
                    guard case .requires(let name, let needed) = rule, name == option.spec.name else { return nil }
                    return "needs " + needed.map { "`\(p.name).\($0)`" }.joined(separator: " and ")
                }
                let meaning = ([option.spec.summary] + rule).joined(separator: "; ")
                out.append("| `\(p.name).\(option.spec.name)` | \(cell(option.spec.type.summary)) | \(option.spec.required ? "yes" : "") | \(option.spec.defaultValue.map { "`\($0)`" } ?? "") | \(cell(meaning)) |")
            }
        }
        return out
    }

    /// The options of a map-of-options type, alone or among the alternatives of a `oneOf`, with their rules.
    static func options(of type: ParamType) -> [(spec: ParamSpec, rules: [ParamRule])] {
        switch type {
        case .options(let specs, let rules): return specs.map { ($0, rules) }
        case .oneOf(let types): return types.flatMap { options(of: $0) }
        default: return []
        }
    }

    /// How a top-level section reads in the docs: what it holds rather than the loose type the schema uses.
    static func sectionType(_ p: ParamSpec) -> String {
        switch p.name {
        case "steady-state", "guards", "effect", "verify": return "list of probes"
        case "recovered": return "probe"
        case "method", "rollbacks", "disaster", "recovery", "failback": return "list of steps"
        case "limits", "objectives", "schedule", "heartbeat", "rpo": return "map (see `\(p.name)` below)"
        case "notify": return "list of maps (see `notify` entries below)"
        case "secrets": return "map of name → source"
        case "vars": return "map of name → value"
        default: return p.type.summary
        }
    }

    /// Text made safe for a table cell.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
