/// Renders `firedrill plan`: the phases in run order and, for each step or probe, its resolved parameters and the
/// exact argv it would execute, with secrets as `***`. It only describes; it changes nothing.
public struct DryRunRenderer: Sendable {
    /// Returns the argv lists a driver would run for these (display-resolved) parameters, or nil when it runs none.
    public typealias ArgvDescriber = @Sendable (_ key: String, _ params: PlanNode) -> [[String]]?

    public let plan: Plan
    public let resolver: Resolver
    public let describe: ArgvDescriber
    /// Targets found by read-only calls, by step name, or the reason they could not be listed.
    public let previews: [String: Result<[String], PreviewError>]

    /// Why a read-only target listing failed.
    public struct PreviewError: Error, Sendable {
        public var message: String
        public init(_ message: String) { self.message = message }
    }

    public init(plan: Plan, resolver: Resolver, previews: [String: Result<[String], PreviewError>] = [:], describe: @escaping ArgvDescriber) {
        self.plan = plan
        self.resolver = resolver
        self.previews = previews
        self.describe = describe
    }

    public func render() -> String {
        var out: [String] = []
        out.append("\(plan.kind.rawValue) \(plan.name): \(plan.title)")
        out.append("  file: \(plan.path)   environment: \(resolver.substitute(plan.environment, maskSecrets: true))   limits: duration \(DurationSyntax.format(plan.limits.duration)), max-targets \(plan.limits.maxTargets)")
        if let binding = plan.environmentBinding {
            let shown = EnvironmentBinding(kubeContext: binding.kubeContext.map { resolver.substitute($0, maskSecrets: true) },
                                           awsAccount: binding.awsAccount.map { resolver.substitute($0, maskSecrets: true) }, location: binding.location)
            out.append("  bound to: \(shown.summary) (checked live, read-only, before anything is injected)")
        }
        if let o = plan.objectives {
            out.append("  objectives: " + [o.rto.map { "RTO \(DurationSyntax.format($0))" }, o.rpo.map { "RPO \(DurationSyntax.format($0))" }].compactMap { $0 }.joined(separator: ", "))
        }
        if !plan.vars.isEmpty {
            out.append("  vars: " + plan.vars.map { v in
                "\(v.name)=\(v.value)" + (v.value == v.planValue ? "" : " (--var; the plan says \(v.planValue))")
            }.joined(separator: " "))
        }
        if let runbook = plan.runbook { out.append("  runbook: \(runbook)") }
        if !plan.secrets.isEmpty {
            out.append("  secrets: " + plan.secrets.map { "\($0.name)=***" }.joined(separator: " "))
        }
        var phase = 0
        func header(_ title: String) {
            phase += 1
            out.append("")
            out.append("\(phase). \(title)")
        }
        switch plan.kind {
        case .experiment:
            header("steady state before (nothing is injected unless it holds)")
            probes(plan.steadyState, into: &out)
            if !plan.guards.isEmpty {
                header("guards, watched during the method (a breach aborts and rolls back)")
                probes(plan.guards, into: &out, guards: true)
            }
            if !plan.effect.isEmpty {
                header("effect checks, watched during the method (each must pass once, or the run is inconclusive)")
                probes(plan.effect, into: &out, watched: true)
            }
            header("method")
            steps(plan.method, into: &out)
            header("steady state after")
            probes(plan.steadyState, into: &out)
            header("rollbacks (on every ending)")
            steps(plan.rollbacks, into: &out)
            header("recovered after rollback? (steady state once more)")
            out.append(plan.steadyState.isEmpty ? "   (no steady-state probes)" : "   the \(plan.steadyState.count) steady-state probe(s) above")
        case .drill:
            if let hb = plan.heartbeat {
                let lead = hb.effectiveLead(objective: plan.objectives?.rpo)
                header("heartbeat started with the baseline")
                out.append("   postgres markers into \(hb.table) every \(DurationSyntax.format(hb.every)) at \(resolver.substitute(hb.dsn, maskSecrets: true))")
                out.append("   lead \(DurationSyntax.format(lead)) before the disaster" + (hb.lead == nil ? " (2 × objectives.rpo)" : " (heartbeat.lead)")
                           + ": a loss up to \(DurationSyntax.format(lead)) is measured, a longer one is reported as a lower bound")
            }
            header("baseline steady state")
            probes(plan.steadyState, into: &out)
            if !plan.guards.isEmpty {
                header("guards, watched from the disaster on")
                probes(plan.guards, into: &out, guards: true)
            }
            header("disaster (the RTO clock starts with its first step)")
            steps(plan.disaster, into: &out)
            header("recovery runbook (each step timed)")
            steps(plan.recovery, into: &out)
            header("recovered (RTO stops at the first of N consecutive passes; the runbook still runs to its end)")
            if let r = plan.recovered { probes([r], into: &out) }
            if !plan.expectOutage { out.append("   expect-outage: false (no outage seen is not inconclusive)") }
            if let rpo = plan.rpo {
                header("RPO measurement")
                switch rpo {
                case .heartbeat(let dsn, let table): out.append("   newest acknowledged vs newest surviving marker in \(table) at \(resolver.substitute(dsn, maskSecrets: true))")
                case .query(let dsn, let query, let primary):
                    out.append("   newest (\(query)) at \(resolver.substitute(primary ?? dsn, maskSecrets: true)) just before the disaster − newest at \(resolver.substitute(dsn, maskSecrets: true)) after recovery")
                case .backup(let stanza, let manifest): out.append("   disaster time − newest backup stop time from " + (stanza.map { "pgbackrest stanza \($0)" } ?? manifest ?? ""))
                }
            }
            header("verify")
            probes(plan.verify, into: &out)
            header("failback")
            steps(plan.failback, into: &out)
            header("rollbacks (on every ending)")
            steps(plan.rollbacks, into: &out)
        }
        out.append("")
        out.append("Dry run: nothing was changed.")
        return out.joined(separator: "\n")
    }

    private func probes(_ list: [ProbeSpec], into out: inout [String], guards: Bool = false, watched: Bool = false) {
        if list.isEmpty { out.append("   (none)") }
        for p in list {
            let params = resolver.display(p.call.params)
            var line = "   - \(p.name): \(p.call.key) \(params.inline)"
            if let e = p.expectNode { line += "  expect \(resolver.display(e).inline)" }
            out.append(line)
            var timing = "timeout \(DurationSyntax.format(p.timeout ?? defaultTimeout(p.call)))"
            if guards || watched || p.consecutive > 1 || p.attempts > 1 { timing += ", every \(DurationSyntax.format(p.every))" }
            if guards { timing += ", tolerate \(p.tolerate)" }
            if p.attempts > 1 { timing += ", attempts \(p.attempts)" }
            if p.consecutive > 1 { timing += ", \(p.consecutive) consecutive" }
            out.append("       \(timing)")
            argv(p.call.key, params, into: &out)
            unresolved(p.call.params, into: &out)
        }
    }

    private func steps(_ list: [Step], into out: inout [String], indent: String = "   ") {
        if list.isEmpty { out.append("\(indent)(none)") }
        for step in list {
            switch step.action {
            case .wait(let d, _):
                out.append("\(indent)- \(step.name): wait \(DurationSyntax.format(d))")
            case .parallel(let children):
                out.append("\(indent)- \(step.name): parallel" + repeatText(step))
                steps(children, into: &out, indent: indent + "    ")
            case .until(let until):
                let params = resolver.display(until.probe.call.params)
                out.append("\(indent)- \(step.name): until \(until.probe.call.key) \(params.inline)"
                           + (until.probe.expectNode.map { " expect \(resolver.display($0).inline)" } ?? ""))
                out.append("\(indent)    every \(DurationSyntax.format(until.every)), timeout \(DurationSyntax.format(until.timeout))"
                           + (until.probe.consecutive > 1 ? ", \(until.probe.consecutive) consecutive" : ""))
            case .manual(let manual):
                out.append("\(indent)- \(step.name): manual \"\(resolver.substitute(manual.prompt, maskSecrets: true))\"")
                out.append("\(indent)    operator: \(manual.who ?? "anyone"), timeout \(DurationSyntax.format(manual.timeout)); answer with `firedrill confirm RUN_DIR \(step.name) --operator NAME` (or --reject)")
            case .driver(let call):
                let params = resolver.display(call.params)
                out.append("\(indent)- \(step.name): \(call.key) \(params.inline)")
                var facts = ["timeout \(DurationSyntax.format(step.timeout ?? defaultTimeout(call)))"]
                if let undo = call.spec?.undo { facts.append("undo: \(undo)") }
                if step.continueOnError { facts.append("on-error: continue") }
                if let r = step.repetition { facts.append(repeatText(r)) }
                out.append("\(indent)    \(facts.joined(separator: ", "))")
                argv(call.key, params, into: &out, indent: indent + "    ")
                switch previews[step.name] {
                case .success(let targets)?:
                    out.append("\(indent)    targets now: " + (targets.isEmpty ? "none match" : targets.joined(separator: ", ")))
                case .failure(let error)?:
                    out.append("\(indent)    targets now: could not list (\(error.message))")
                case nil:
                    break
                }
                unresolved(call.params, into: &out, indent: indent + "    ")
            }
        }
    }

    private func argv(_ key: String, _ params: PlanNode, into out: inout [String], indent: String = "       ") {
        guard let lists = describe(key, params) else { return }
        for list in lists {
            out.append("\(indent)$ " + list.map(Self.shellQuoted).joined(separator: " "))
        }
    }

    private func unresolved(_ params: PlanNode, into out: inout [String], indent: String = "       ") {
        let missing = resolver.unresolved(in: params)
        if !missing.isEmpty {
            out.append("\(indent)warning: not set now: \(missing.joined(separator: ", "))")
        }
    }

    private func repeatText(_ step: Step) -> String {
        step.repetition.map { ", " + repeatText($0) } ?? ""
    }

    private func repeatText(_ r: RepeatSpec) -> String {
        "repeat every \(DurationSyntax.format(r.every))" + (r.jitter > .zero ? " ± \(DurationSyntax.format(r.jitter))" : "")
            + " for \(DurationSyntax.format(r.duration)) (at most \(r.maxRepetitions) runs)"
    }

    private func defaultTimeout(_ call: DriverCall) -> Duration {
        call.spec?.defaultTimeoutDuration ?? plan.limits.duration
    }

    /// Quotes an argument for display only, so a reader can see its exact boundaries. Nothing is ever run
    /// through a shell.
    public static func shellQuoted(_ arg: String) -> String {
        let safe = arg.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@%+,".contains($0) }
        if safe, !arg.isEmpty { return arg }
        return "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
