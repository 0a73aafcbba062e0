import FiredrillCore
import Foundation

/// A run summarised from its journal: the one model every report format renders. Building it from the journal
/// (not from runner memory) means `firedrill report` can re-render any run, including one whose runner died.
public struct RunReport: Sendable, Codable {
    public static let schemaVersion = "firedrill.report/v1"

    /// One step's row in the report.
    public struct StepRow: Sendable, Codable {
        public var name: String
        public var phase: String
        public var kind: String
        public var started: String
        public var ended: String?
        public var seconds: Double?
        public var status: String
        public var excerpt: String
    }

    /// Probe results aggregated per probe and role.
    public struct ProbeRow: Sendable, Codable {
        public var probe: String
        public var role: String
        public var executions: Int
        public var failures: Int
        public var lastMessage: String
    }

    /// An owed or completed undo.
    public struct UndoRow: Sendable, Codable {
        public var id: Int
        public var step: String
        public var description: String
        public var status: String
        public var how: String?
    }

    public var schema: String = RunReport.schemaVersion
    public var plan: String
    public var title: String
    public var kind: String
    public var file: String
    public var sha256: String
    public var gitCommit: String?
    public var environment: String
    public var initiator: String
    public var participants: [String]
    public var notes: [String]
    public var started: String
    public var ended: String?
    public var seconds: Double?
    public var ending: String
    public var reason: String
    public var exitCode: Int?
    public var rollback: String
    public var recoveredAfterRollback: Bool?
    public var steps: [StepRow]
    public var probes: [ProbeRow]
    public var guardBreaches: [String]
    public var undos: [UndoRow]
    public var journalEvents: Int
    public var journalHead: String
    public var journalValid: Bool
    public var journalProblem: String?

    /// Builds the report of the run directory from its journal and manifest.
    public static func load(runDirectory: String) throws -> RunReport {
        let url = URL(fileURLWithPath: runDirectory + "/" + Journal.fileName)
        let contents: JournalContents
        do { contents = try JournalReader.read(at: url) } catch { throw RunError("cannot read \(url.path): \(error)") }
        return build(events: contents.events, verification: contents.verification)
    }

    public static func build(events: [JournalEvent], verification: VerificationResult) -> RunReport {
        let start = events.first { $0.type == "run.started" }
        let end = events.last { $0.type == "run.ended" }
        let s = start?.data ?? .object([:])
        var report = RunReport(
            plan: s["plan"]?.stringValue ?? "", title: s["title"]?.stringValue ?? "", kind: s["kind"]?.stringValue ?? "",
            file: s["file"]?.stringValue ?? "", sha256: s["sha256"]?.stringValue ?? "", gitCommit: s["git-commit"]?.stringValue,
            environment: s["environment"]?.stringValue ?? "", initiator: s["initiator"]?.stringValue ?? "",
            participants: s["participants"].flatMap(Self.strings) ?? [], notes: s["notes"].flatMap(Self.strings) ?? [],
            started: start?.time ?? events.first?.time ?? "", ended: end?.time,
            seconds: end.map { $0.mono - (start?.mono ?? 0) },
            ending: end?.data["ending"]?.stringValue ?? "unfinished (the runner stopped before the end; run firedrill recover)",
            reason: end?.data["reason"]?.stringValue ?? "", exitCode: end?.data["exit-code"]?.doubleValue.map(Int.init),
            rollback: end?.data["rollback"]?.stringValue ?? "unknown",
            recoveredAfterRollback: { if case .bool(let b)? = end?.data["recovered-after-rollback"] { return b }; return nil }(),
            steps: [], probes: [], guardBreaches: [], undos: [],
            journalEvents: verification.eventCount, journalHead: verification.head,
            journalValid: verification.isValid, journalProblem: verification.problem.map { "\($0)" }
        )
        var open: [String: Int] = [:]
        var probeIndex: [String: Int] = [:]
        var undoIndex: [Int: Int] = [:]
        for e in events {
            switch e.type {
            case "step.started":
                open[e.step ?? ""] = report.steps.count
                report.steps.append(StepRow(name: e.step ?? "", phase: e.data["phase"]?.stringValue ?? "", kind: e.data["kind"]?.stringValue ?? "",
                                            started: e.time, ended: nil, seconds: nil, status: "running", excerpt: ""))
            case "step.ended":
                guard let i = open.removeValue(forKey: e.step ?? "") else { continue }
                report.steps[i].ended = e.time
                report.steps[i].seconds = e.data["seconds"]?.doubleValue
                report.steps[i].status = e.data["status"]?.stringValue ?? ""
                report.steps[i].excerpt = String((e.data["summary"]?.stringValue ?? e.data["error"]?.stringValue ?? "").prefix(400))
            case "probe.result":
                let key = (e.step ?? "") + "|" + (e.data["role"]?.stringValue ?? "")
                let i = probeIndex[key] ?? {
                    report.probes.append(ProbeRow(probe: e.step ?? "", role: e.data["role"]?.stringValue ?? "", executions: 0, failures: 0, lastMessage: ""))
                    probeIndex[key] = report.probes.count - 1
                    return report.probes.count - 1
                }()
                report.probes[i].executions += 1
                if e.data["passed"] != .bool(true) { report.probes[i].failures += 1 }
                report.probes[i].lastMessage = e.data["message"]?.stringValue ?? ""
            case "guard.breached":
                report.guardBreaches.append("\(e.time) guard \(e.step ?? ""): \(e.data["message"]?.stringValue ?? "") (expected \(e.data["expected"]?.stringValue ?? "?"))")
            case "undo.intent":
                let id = Int(e.data["id"]?.doubleValue ?? 0)
                undoIndex[id] = report.undos.count
                report.undos.append(UndoRow(id: id, step: e.step ?? "", description: e.data["description"]?.stringValue ?? "", status: "pending", how: nil))
            case "undo.done", "undo.failed":
                if let i = undoIndex[Int(e.data["id"]?.doubleValue ?? 0)] {
                    report.undos[i].status = e.type == "undo.done" ? "done" : "failed"
                    report.undos[i].how = e.data["how"]?.stringValue ?? e.data["error"]?.stringValue
                }
            default: break
            }
        }
        for i in open.values { report.steps[i].status = "interrupted" }
        return report
    }

    static func strings(_ v: JSONValue) -> [String]? {
        if case .array(let items) = v { return items.compactMap(\.stringValue) }
        return nil
    }
}
