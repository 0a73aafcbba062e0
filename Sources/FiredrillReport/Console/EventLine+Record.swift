import FiredrillCore

extension EventLine {
    /// The facts of a `run.record` event for the console: who ran it, the overrides, the tool versions and the plan's
    /// source, one line each.
    public static func record(_ event: JournalEvent) -> [String] {
        guard event.is(.runRecord) else { return [] }
        let rec = RunReport.Record(event: event.data, checks: [])
        var lines = ["operator: \(rec.operatorSummary)"]
        let overrides = rec.overrides
        if overrides.isEmpty {
            lines.append("overrides: none (\(rec.parameters.count) var\(rec.parameters.count == 1 ? "" : "s") as in the plan)")
        } else {
            lines.append("overrides: " + overrides.map { p in
                "\(p.name)=\(p.value) (plan: \(p.planValue ?? "not declared"))"
            }.joined(separator: ", "))
        }
        let tools = rec.tools.map { "\($0.tool) \($0.summary)" }
        lines.append("versions: firedrill \(rec.firedrill ?? ReportLabels.notRecorded)" + (tools.isEmpty ? "" : "; " + tools.joined(separator: "; ")))
        lines.append("plan source: \(rec.planSourceDetail ?? ReportLabels.notRecorded)" + (rec.runbook.map { "; runbook \($0)" } ?? ""))
        return lines
    }
}
