/// What an auditor asks first about a run, journaled as `run.record` right after `run.started`: the effective
/// parameters, the operator, the versions of Firedrill and of the external tools the plan uses, where the plan came
/// from, the environment binding the plan declares, and its runbook. Reports are built from the journal, so
/// `firedrill report` re-renders all of it.
public struct AuditRecord: Sendable {
    public var runOperator: RunOperator
    public var parameters: [EffectiveParameter]
    public var tools: [ToolVersion]
    public var provenance: PlanProvenance
    /// The binding the plan declares (`kube-context …, aws-account …`); nil when it declares none.
    public var binding: String?
    public var runbook: String?

    public init(runOperator: RunOperator, parameters: [EffectiveParameter], tools: [ToolVersion], provenance: PlanProvenance,
                binding: String?, runbook: String?) {
        self.runOperator = runOperator
        self.parameters = parameters
        self.tools = tools
        self.provenance = provenance
        self.binding = binding
        self.runbook = runbook
    }

    /// Reads what the record needs; `sources` nil (no executable's probes) records the tools and the git state as
    /// not checked.
    public static func gather(plan: Plan, overrides: [String: String], runOperator: RunOperator,
                              sources: (any RunRecordSources)?) async -> AuditRecord {
        let needed = ExternalTool.used(by: plan)
        let tools: [ToolVersion]
        let provenance: PlanProvenance
        if let sources {
            async let versions = sources.versions(of: needed)
            async let git = sources.provenance(ofPlanAt: plan.path, text: plan.text)
            (tools, provenance) = await (versions, git)
        } else {
            tools = needed.map { ToolVersion(tool: $0.rawValue, command: $0.versionCommand?.joined(separator: " ") ?? $0.rawValue, status: .failed, detail: "not checked") }
            provenance = PlanProvenance(status: .notChecked)
        }
        return AuditRecord(runOperator: runOperator, parameters: EffectiveParameter.of(plan, overrides: overrides), tools: tools,
                           provenance: provenance, binding: plan.environmentBinding?.summary, runbook: plan.runbook)
    }

    /// The `run.record` journal data.
    public var json: JSONValue {
        .object([
            "operator": runOperator.json,
            "parameters": .array(parameters.map(\.json)),
            "firedrill": FiredrillBuild.json,
            "tools": .array(tools.map(\.json)),
            "plan-source": provenance.json,
            "binding": binding.map { .string($0) } ?? .null,
            "runbook": runbook.map { .string($0) } ?? .null,
        ])
    }
}
