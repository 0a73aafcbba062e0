/// The loader's reading of the steps that wait on the world or on a person, and of `repeat:`.
extension PlanLoader {
    /// `until: { probe: { …, expect: … }, every: 2s, timeout: 10m }`.
    mutating func untilStep(_ driver: PlanNode.Entry, context: String, stepName: String, stepTimeout: Duration?) -> UntilSpec? {
        guard driverCall(driver, context: context) != nil, let probeNode = driver.value["probe"] else { return nil }
        guard var probe = probe(probeNode, section: "until", index: 0, allowUse: true, steadyState: steadyStateProbes) else { return nil }
        if probeNode["name"] == nil, probe.uses == nil { probe.name = stepName }
        var every = probeNode["every"] != nil ? probe.every : UntilSpec.defaultEvery
        if let n = driver.value["every"], let d = duration(n, "until.every") {
            if d < .milliseconds(10) { error(n.location, "`until.every` must be at least 10ms") } else { every = d }
        }
        var timeout = UntilSpec.defaultTimeout
        if let n = driver.value["timeout"], let d = duration(n, "until.timeout") {
            timeout = d
            if let stepTimeout, stepTimeout < d {
                error(n.location, "`until.timeout` (\(DurationSyntax.format(d))) is longer than the step's `timeout` (\(DurationSyntax.format(stepTimeout))): give one of them",
                      hint: "`until.timeout` is when the polling gives up")
            }
        } else if let stepTimeout {
            timeout = stepTimeout
        }
        if timeout < every, let n = driver.value["timeout"] {
            error(n.location, "`until.timeout` (\(DurationSyntax.format(timeout))) is shorter than `every` (\(DurationSyntax.format(every))): the probe would run once at most")
        }
        return UntilSpec(probe: probe, every: every, timeout: timeout)
    }

    /// `manual: { prompt: "…", timeout: 15m, who: role }` or `manual: "…"`.
    mutating func manualStep(_ driver: PlanNode.Entry, context: String, stepTimeout: Duration?) -> ManualSpec? {
        guard let call = driverCall(driver, context: context), let promptNode = call.params["prompt"],
              let prompt = string(promptNode, "manual.prompt") else { return nil }
        if prompt.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            error(promptNode.location, "`manual.prompt` is empty: say what the operator must do or decide")
        }
        var timeout = stepTimeout ?? ManualSpec.defaultTimeout
        if let n = call.params["timeout"], let d = duration(n, "manual.timeout") {
            timeout = d
            if let stepTimeout, stepTimeout < d {
                error(n.location, "`manual.timeout` (\(DurationSyntax.format(d))) is longer than the step's `timeout` (\(DurationSyntax.format(stepTimeout))): give one of them")
            }
        }
        let who = call.params["who"].flatMap { string($0, "manual.who") }
        return ManualSpec(prompt: prompt, timeout: timeout, who: who)
    }

    /// `repeat: { every: 30s, for: 5m, jitter: 5s }` on a method or disaster step.
    mutating func repetition(_ entry: PlanNode.Entry, section: String, action: Step.Action) -> RepeatSpec? {
        let node = entry.value
        guard section == "method" || section == "disaster" else {
            error(entry.keyLocation, "`repeat` applies to method and disaster steps, not to \(section) steps",
                  hint: "rollbacks, recovery and failback steps run once; to wait for something there, use `until`", length: entry.key.count)
            return nil
        }
        switch action {
        case .driver, .parallel:
            break
        case .wait, .until, .manual:
            error(entry.keyLocation, "`repeat` repeats a fault; a `\(Step(name: "", named: false, action: action, timeout: nil, continueOnError: false, location: entry.keyLocation).kindName)` step cannot repeat",
                  length: entry.key.count)
            return nil
        }
        guard mapping(node, "repeat", keys: PlanSchema.repeatKeys) != nil else { return nil }
        guard let every = node["every"].flatMap({ duration($0, "repeat.every") }),
              let window = node["for"].flatMap({ duration($0, "repeat.for") }) else { return nil }
        let jitter = node["jitter"].flatMap { duration($0, "repeat.jitter") } ?? .zero
        if every < .milliseconds(100) {
            error(node["every"]?.location ?? node.location, "`repeat.every` must be at least 100ms")
            return nil
        }
        if window < every {
            error(node["for"]?.location ?? node.location,
                  "`repeat.for` (\(DurationSyntax.format(window))) is shorter than `every` (\(DurationSyntax.format(every))): the step would run once",
                  hint: "remove `repeat`, or make `for` at least one interval")
            return nil
        }
        if jitter >= every {
            error(node["jitter"]?.location ?? node.location,
                  "`repeat.jitter` (\(DurationSyntax.format(jitter))) must be shorter than `every` (\(DurationSyntax.format(every)))")
            return nil
        }
        let spec = RepeatSpec(every: every, duration: window, jitter: jitter, location: node.location)
        if spec.maxRepetitions > 10_000 {
            error(node.location, "`repeat` would run the step up to \(spec.maxRepetitions) times; at most 10000",
                  hint: "lengthen `every` or shorten `for`")
            return nil
        }
        return spec
    }
}
