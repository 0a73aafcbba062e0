extension PlanLoader {
    mutating func stepList(_ node: PlanNode?, section: String) -> [Step] {
        guard let node else { return [] }
        if node.isNull { return [] }
        guard let items = node.sequence else {
            error(node.location, "`\(section)` must be a list of steps, but this is \(node.kindName)", hint: "start each step with `- `")
            return []
        }
        return items.enumerated().compactMap { step($1, section: section, index: $0) }
    }

    mutating func step(_ node: PlanNode, section: String, index: Int) -> Step? {
        let context = "\(section)[\(index + 1)]"
        guard let entries = node.entries else {
            error(node.location, "a step is a map with one driver key, but \(context) is \(node.kindName)",
                  hint: "for example `- process.kill: { match: worker, signal: KILL }`")
            return nil
        }
        let common = Set(PlanSchema.stepCommon.map(\.name))
        checkKeys(entries.filter { common.contains($0.key) }, allowed: Array(common), context: context)
        let driverEntries = entries.filter { !common.contains($0.key) }
        guard let driver = singleDriver(driverEntries, node: node, context: context, role: .step) else { return nil }

        let explicitName = node["name"].flatMap { string($0, "name") }
        let name = explicitName ?? autoName(driver.key)
        let timeout = node["timeout"].flatMap { duration($0, "timeout") }
        let continueOnError = node["on-error"].map { n -> Bool in
            if n.scalar == "continue" { return true }
            if n.scalar != "fail" { error(n.location, "`on-error` is `fail` or `continue`, not `\(n.scalar ?? n.kindName)`") }
            return false
        } ?? false

        let action: Step.Action
        switch driver.key {
        case "wait":
            let forNode = driver.value.entries != nil ? driver.value["for"] : driver.value
            if driver.value.entries != nil {
                checkKeys(driver.value.entries ?? [], allowed: ["for"], context: "`wait`")
            }
            guard let forNode, !forNode.isNull else {
                error(forNode?.location ?? driver.value.location, "`wait` needs a duration, e.g. `wait: 30s`")
                return nil
            }
            guard let d = duration(forNode, "wait") else {
                if !Self.hasReferences(forNode.scalar ?? "") { return nil }
                return Step(name: name, named: explicitName != nil, action: .wait(.zero, forNode.location),
                            timeout: timeout, continueOnError: continueOnError, location: node.location)
            }
            action = .wait(d, forNode.location)
        case "parallel":
            let list = driver.value.entries != nil ? driver.value["steps"] : driver.value
            let steps = stepList(list, section: "\(context).parallel")
            if steps.isEmpty, list?.sequence?.isEmpty ?? true {
                error(driver.value.location, "`parallel` needs a list of at least one step")
            }
            action = .parallel(steps)
        case "until":
            guard let until = untilStep(driver, context: context, stepName: name, stepTimeout: timeout) else { return nil }
            action = .until(until)
        case "manual":
            guard let manual = manualStep(driver, context: context, stepTimeout: timeout) else { return nil }
            action = .manual(manual)
        default:
            guard let call = driverCall(driver, context: context) else { return nil }
            action = .driver(call)
        }
        var step = Step(name: name, named: explicitName != nil, action: action, timeout: timeout,
                        continueOnError: continueOnError, location: node.location)
        if let entry = node.entry("repeat") {
            step.repetition = repetition(entry, section: section, action: action)
        }
        return step
    }

    /// Finds the one driver key of a step or probe, reporting none, several, or an unknown one.
    mutating func singleDriver(_ driverEntries: [PlanNode.Entry], node: PlanNode, context: String, role: DriverRole) -> PlanNode.Entry? {
        let known = catalog.keys(for: role)
        let what = role == .probe ? "probe" : "step"
        if driverEntries.isEmpty {
            error(node.location, "\(context) has no driver: a \(what) needs exactly one driver key",
                  hint: "one of: \(known.joined(separator: ", "))")
            return nil
        }
        var recognised: [PlanNode.Entry] = []
        for entry in driverEntries {
            if known.contains(entry.key) {
                recognised.append(entry)
            } else if catalog.spec(entry.key) != nil {
                let other = role == .probe ? "a step (fault or action)" : "a probe"
                let hint = role == .probe
                    ? "steps belong in method, disaster, recovery, failback or rollbacks"
                    : "probes belong in steady-state, guards, recovered or verify; to run a check as a step, use `command`"
                error(entry.keyLocation, "`\(entry.key)` is \(other) and cannot be used as a \(what) here", hint: hint, length: entry.key.count)
            } else {
                let common = (role == .probe ? PlanSchema.probeCommon : PlanSchema.stepCommon).map(\.name)
                let hint = Suggestion.hint(for: entry.key, in: known + common)
                error(entry.keyLocation, "unknown driver or key `\(entry.key)` in \(context)", hint: hint ?? "drivers: \(known.joined(separator: ", "))", length: entry.key.count)
            }
        }
        if recognised.count > 1 {
            let names = recognised.map { "`\($0.key)`" }.joined(separator: " and ")
            error(recognised[1].keyLocation, "\(context) has two drivers, \(names): a \(what) runs exactly one",
                  hint: role == .step ? "split them into two steps, or wrap them in `parallel:`" : "split them into two probes")
            return nil
        }
        return recognised.count == 1 && driverEntries.count == 1 ? recognised[0] : nil
    }

    mutating func driverCall(_ entry: PlanNode.Entry, context: String) -> DriverCall? {
        guard let spec = catalog.spec(entry.key) else { return nil }
        var params = entry.value
        var usesShorthand = false
        if params.entries == nil, let shorthand = spec.shorthand, !params.isNull {
            params = PlanNode(.mapping([PlanNode.Entry(key: shorthand, keyLocation: params.location, value: params)]), at: params.location)
            usesShorthand = true
        }
        checkParams(params, spec: spec, context: "`\(entry.key)` in \(context)", shorthand: usesShorthand)
        return DriverCall(key: entry.key, params: params, location: entry.keyLocation, spec: spec)
    }

    /// A derived step name, `process.kill-1`, `process.kill-2`…, unique within the plan.
    mutating func autoName(_ key: String) -> String {
        var n = autoNameCounter[key, default: 0]
        var candidate: String
        repeat {
            n += 1
            candidate = "\(key)-\(n)"
        } while stepNames[candidate] != nil
        autoNameCounter[key] = n
        return candidate
    }

    mutating func probeList(_ node: PlanNode?, section: String, allowUse: Bool, steadyState: [ProbeSpec] = []) -> [ProbeSpec] {
        guard let node, !node.isNull else { return [] }
        guard let items = node.sequence else {
            error(node.location, "`\(section)` must be a list of probes, but this is \(node.kindName)", hint: "start each probe with `- `")
            return []
        }
        var seen: [String: SourceLocation] = [:]
        var result: [ProbeSpec] = []
        for (index, item) in items.enumerated() {
            guard let p = probe(item, section: section, index: index, allowUse: allowUse, steadyState: steadyState) else { continue }
            if let first = seen[p.name], item["name"] != nil {
                error(item["name"]!.location, "duplicate probe name `\(p.name)` in `\(section)` (first at line \(first.line))")
            }
            seen[p.name] = item.location
            result.append(p)
        }
        return result
    }

    /// One probe: an item of a list (`index`), or a single probe named by its key (`recovered`, a step's `ready`).
    mutating func probe(_ node: PlanNode, section: String, index: Int?, allowUse: Bool, steadyState: [ProbeSpec] = []) -> ProbeSpec? {
        let context = index.map { "\(section)[\($0 + 1)]" } ?? "`\(section)`"
        guard let entries = node.entries else {
            let hint = section == "recovered" && node.sequence != nil
                ? "`recovered` is one probe, not a list: remove the `- `"
                : "for example `- http: { url: http://127.0.0.1:8080/health }`"
            error(node.location, "a probe is a map with one driver key, but \(context) is \(node.kindName)", hint: hint)
            return nil
        }
        let common = Set(PlanSchema.probeCommon.map(\.name))
        checkKeys(entries.filter { common.contains($0.key) }, allowed: Array(common), context: context)
        let driverEntries = entries.filter { !common.contains($0.key) }

        var base: ProbeSpec?
        if let useNode = node["use"] {
            if !allowUse {
                error(useNode.location, index == nil
                      ? "\(context) cannot `use` a steady-state probe: write its driver and `expect` here"
                      : "`use` reuses a steady-state probe, so it cannot appear in `steady-state` itself")
            } else if let target = string(useNode, "use") {
                base = steadyState.first { $0.name == target }
                if base == nil {
                    let names = steadyState.map(\.name)
                    error(useNode.location, "`use: \(target)` names no steady-state probe",
                          hint: Suggestion.hint(for: target, in: names) ?? (names.isEmpty ? "the plan has no steady-state probes" : "steady-state probes: \(names.joined(separator: ", "))"))
                    return nil
                }
                if !driverEntries.isEmpty {
                    error(driverEntries[0].keyLocation, "a probe with `use` takes its driver from `\(target)`, so it cannot also name `\(driverEntries[0].key)`")
                    return nil
                }
            } else {
                return nil
            }
        }

        var call: DriverCall
        if let base {
            call = base.call
        } else {
            guard let driver = singleDriver(driverEntries, node: node, context: context, role: .probe),
                  let c = driverCall(driver, context: context) else { return nil }
            call = c
        }

        var expect = base?.expect
        var expectNode = base?.expectNode
        if let e = node["expect"] {
            // Known vars are substituted first; a tolerance that still holds a reference (`${steps.…}`,
            // `${env.…}`) is parsed once the run knows its value.
            let resolved = substitutingKnownVars(e)
            if containsReferences(resolved) {
                expect = nil
            } else {
                let (tolerance, diags) = Tolerance.parse(resolved)
                diagnostics += diags.map { d in
                    var d = d
                    d.message = "`expect`: " + d.message
                    return d
                }
                expect = tolerance
            }
            expectNode = e
            checkExpect(resolved, tolerance: expect, call: call)
        }
        var spec = ProbeSpec(
            name: node["name"].flatMap { string($0, "name") } ?? base?.name
                ?? index.map { "\(section)-\($0 + 1)-\(call.key)" } ?? section,
            call: call, expect: expect, expectNode: expectNode, timeout: base?.timeout, uses: base?.name, location: node.location
        )
        if let base {
            spec.every = base.every
            spec.attempts = base.attempts
            spec.initialDelay = base.initialDelay
            spec.consecutive = base.consecutive
        }
        if let n = node["timeout"], let d = duration(n, "timeout") { spec.timeout = d }
        if let n = node["every"], let d = duration(n, "every") {
            if d < .milliseconds(10) { error(n.location, "`every` must be at least 10ms") } else { spec.every = d }
        }
        if let n = node["initial-delay"], let d = duration(n, "initial-delay") { spec.initialDelay = d }
        if let n = node["attempts"], let v = integer(n, "attempts", min: 1, max: 100_000) { spec.attempts = v }
        if let n = node["consecutive"], let v = integer(n, "consecutive", min: 1, max: 10_000) { spec.consecutive = v }
        if let n = node["tolerate"] {
            if section != "guards" {
                error(n.location, "`tolerate` applies to guards only",
                      hint: section == "effect" ? "an effect check never aborts the run: it only has to pass once" : "in \(section), use `attempts` to retry")
            } else if let v = integer(n, "tolerate", min: 0, max: 10_000) {
                spec.tolerate = v
            }
        }
        return spec
    }

    /// The node with every `${name}` of a declared var replaced by its value; other references stay as written.
    func substitutingKnownVars(_ node: PlanNode) -> PlanNode {
        var copy = node
        switch node.content {
        case .scalar(let text, let quoted):
            if text.contains("${") { copy.content = .scalar(resolveKnown(text), quoted: quoted) }
        case .sequence(let items):
            copy.content = .sequence(items.map(substitutingKnownVars))
        case .mapping(let entries):
            copy.content = .mapping(entries.map { PlanNode.Entry(key: $0.key, keyLocation: $0.keyLocation, value: substitutingKnownVars($0.value)) })
        }
        return copy
    }

    /// True when any scalar below `node` still holds a `${…}`.
    func containsReferences(_ node: PlanNode) -> Bool {
        switch node.content {
        case .scalar(let text, _): return Self.hasReferences(text)
        case .sequence(let items): return items.contains(where: containsReferences)
        case .mapping(let entries): return entries.contains { containsReferences($0.value) }
        }
    }
}
