import FiredrillCore
import Foundation

/// A run summarised from its journal: the one model every report format renders. Building it from the journal
/// (not from runner memory) means `firedrill report` can re-render any run, including one whose runner died, and
/// that the same journal always gives the same report. The JSON form is documented in `docs/report-schema.md`.
public struct RunReport: Sendable, Codable {
    /// The identifier of the JSON layout, written as `schema`.
    public static let schemaVersion = "firedrill.report/v1"

    public var schema: String = RunReport.schemaVersion

    // Identity of the run: what ran, where, by whom.
    public var plan: String
    public var title: String
    public var kind: String
    /// The plan's `description`, read from the run directory's `plan.yaml` when its SHA-256 matches the journal.
    public var description: String?
    public var file: String
    public var sha256: String
    public var gitCommit: String?
    /// Whether `plan.yaml` in the run directory is the plan the journal names: `matches`, `differs` or `missing`.
    public var planCopy: String
    public var environment: String
    /// Who let the run into a protected environment with `--allow-production`, when someone did.
    public var productionAllowedBy: String? = nil
    public var initiator: String
    public var participants: [String]
    public var vars: [String: String]
    public var rollbackPolicy: String?
    public var limits: Limits?
    public var notes: [String]
    /// The auditor record: operator, effective parameters, versions, plan source, binding checks, runbook.
    public var record: Record = .notRecorded

    // How it ended.
    public var started: String
    public var ended: String?
    public var seconds: Double?
    public var ending: String
    public var reason: String
    public var exitCode: Int?
    public var rollback: String
    public var recoveredAfterRollback: Bool?
    public var interruptedBy: String?

    // What happened.
    public var phases: [PhaseRow]
    public var steps: [StepRow]
    public var probes: [ProbeRow]
    public var timeline: ProbeTimeline
    public var objectives: [ObjectiveRow]
    public var drill: DrillMeasurements?
    /// The interval the charts shade: injected → stable for a drill, the method for an experiment.
    public var faultWindow: Window?
    public var guardBreaches: [GuardBreachRow]
    /// An experiment's `effect` checks, in the order they were judged.
    public var effects: [EffectRow] = []
    /// `manual` steps: the prompt, the answer, who gave it and when; absent when the plan has none.
    public var operatorSteps: [OperatorRow]?
    /// `traffic` guard and `recovered` streams over their whole life: one availability figure for the fault window;
    /// absent when no traffic stream ran.
    public var trafficTotals: [TrafficTotalRow]?
    public var deviations: [DeviationRow]
    public var rollbacks: [RollbackRow]
    public var rollbacksSkipped: String?
    public var undos: [UndoRow]
    public var failback: FailbackRow?
    public var recoveryCheck: RecoveryCheckRow?
    public var recoverSessions: [RecoverRow]
    public var actionItems: [ActionItem]
    public var signOff: [SignOffLine]
    public var journal: JournalEvidence
    /// Sign-offs from `signoffs.jsonl` (`firedrill sign`), read at every rendering.
    public var signOffs: [SignOffEntry]? = nil
    /// Lessons, deviations explained and action items from `annotations.jsonl` (`firedrill annotate`).
    public var annotations: [AnnotationEntry]? = nil
    /// What is wrong with `signoffs.jsonl` or `annotations.jsonl`, when something is.
    public var recordProblems: [String]? = nil
    /// What the report evidences: each element a DR-test record needs, present or missing for this run.
    public var evidenceMap: [EvidenceRow]? = nil

    /// Builds the report of the run directory from its journal, and the plan description from `plan.yaml`.
    public static func load(runDirectory: String) throws -> RunReport {
        let path = runDirectory + "/" + Journal.fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw RunError("\(runDirectory) is not a run directory: \(Journal.fileName) is missing")
        }
        var (builder, verification) = try JournalStream.fold(path: path)
        let planText = PlanCopy.read(runDirectory: runDirectory)
        let copy = PlanCopy.read(text: planText.exists ? planText.text : nil, expectedSHA256: builder.planSHA256 ?? "")
        var report = builder.finish(verification: verification, planCopy: copy)
        report.planCopy = copy.status
        report.description = copy.description
        report.attachRecords(runDirectory: runDirectory, sealHashes: builder.sealHashes)
        return report
    }

    /// Builds the report from journal events (in journal order) and the journal's verification.
    public static func build(events: [JournalEvent], verification: VerificationResult) -> RunReport {
        build(events: events, verification: verification, planCopy: nil)
    }

    static func build(events: [JournalEvent], verification: VerificationResult, planCopy: PlanCopy?) -> RunReport {
        var builder = RunReportBuilder()
        for event in events { builder.consume(event) }
        return builder.finish(verification: verification, planCopy: planCopy)
    }
}
