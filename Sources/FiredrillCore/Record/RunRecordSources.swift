/// What the run's record reads from outside the process: external tools' versions and the plan file's git state.
/// Core runs no program itself; the executable injects an implementation (`ToolProbe` in FiredrillDrivers).
/// Neither call may fail the run: a tool that is missing or slow is reported as such.
public protocol RunRecordSources: Sendable {
    /// Each tool's version, read once, in the order given.
    func versions(of tools: [ExternalTool]) async -> [ToolVersion]
    /// The git commit of the plan file at `path`, only when it is tracked and unmodified and the committed file is
    /// exactly `text`, the plan that runs.
    func provenance(ofPlanAt path: String, text: String) async -> PlanProvenance
}
