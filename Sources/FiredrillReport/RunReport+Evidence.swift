import FiredrillCore
import Foundation

extension RunReport {
    /// A sign-off recorded with `firedrill sign`.
    public struct SignOffEntry: Sendable, Codable {
        public var seq: Int
        public var time: String
        public var role: String
        public var name: String
        public var decision: String
        public var comment: String?
        /// The signer's key fingerprint; nil when unsigned.
        public var key: String?
    }

    /// A note recorded with `firedrill annotate`: `lesson`, `deviation` or `action`.
    public struct AnnotationEntry: Sendable, Codable {
        public var seq: Int
        public var time: String
        public var kind: String
        public var text: String
        public var by: String?
        public var owner: String?
        public var due: String?
        public var key: String?
    }

    /// One element a DR-test record needs, whether this report holds it, and the standards that ask for it.
    public struct EvidenceRow: Sendable, Codable {
        public var element: String
        public var standards: String
        /// `present` or `missing`.
        public var status: String
        /// What in this report holds it, or what is missing.
        public var detail: String
    }

    /// Reads `signoffs.jsonl` and `annotations.jsonl` (checked against the journal's seals), then maps the
    /// report's contents to the evidence table.
    mutating func attachRecords(runDirectory: String, sealHashes: Set<String>) {
        var problems: [String] = []
        let signLog = EvidenceLog(runDirectory: runDirectory, file: EvidenceLog.signOffsFile).check(sealHashes: sealHashes)
        if let problem = signLog.problem { problems.append("TAMPERED: \(problem)") }
        signOffs = signLog.entries.map { e in
            SignOffEntry(seq: e.seq, time: e.time, role: e.data["role"]?.stringValue ?? "", name: e.data["name"]?.stringValue ?? "",
                         decision: e.data["decision"]?.stringValue ?? "", comment: e.data["comment"]?.stringValue, key: e.key)
        }
        let notes = EvidenceLog(runDirectory: runDirectory, file: EvidenceLog.annotationsFile).check(sealHashes: sealHashes)
        if let problem = notes.problem { problems.append("TAMPERED: \(problem)") }
        annotations = notes.entries.map { e in
            AnnotationEntry(seq: e.seq, time: e.time, kind: e.data["kind"]?.stringValue ?? "", text: e.data["text"]?.stringValue ?? "",
                            by: e.data["by"]?.stringValue, owner: e.data["owner"]?.stringValue, due: e.data["due"]?.stringValue, key: e.key)
        }
        recordProblems = problems
        evidenceMap = Self.evidence(self)
    }

    /// The evidence table: each element marked present or missing from what this report holds.
    static func evidence(_ r: RunReport) -> [EvidenceRow] {
        let all = "ISO 22301 §8.5 · SOC 2 A1.3 · DORA Art. 24–25"
        var rows: [EvidenceRow] = []
        func row(_ element: String, _ standards: String, _ present: Bool, _ yes: String, _ no: String) {
            rows.append(EvidenceRow(element: element, standards: standards, status: present ? "present" : "missing", detail: present ? yes : no))
        }
        let scenario = !(r.description ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        row("Scenario and rationale", all, scenario, "the plan's title and description (plan SHA-256 \(r.sha256.prefix(12))…)",
            "the plan has no description saying what is tested and why")
        row("Scope", all, !r.environment.isEmpty && !r.steps.isEmpty,
            "environment \(r.environment), \(r.steps.count) step\(r.steps.count == 1 ? "" : "s") with their targets",
            r.environment.isEmpty ? "no environment recorded" : "environment \(r.environment), but no step ran, so no target was acted on")
        let signers = Set((r.signOffs ?? []).map(\.name))
        row("Participants", "ISO 22301 §8.5 · DORA Art. 24–25", !r.participants.isEmpty || !signers.isEmpty,
            (r.participants + signers.sorted()).joined(separator: ", "), "the plan names no participants and nobody signed")
        row("Objectives", all, !r.objectives.isEmpty, r.objectives.map(\.name).joined(separator: ", "),
            "the plan states no objectives (RTO, RPO or steady state)")
        let measured = r.objectives.filter { $0.verdict == RunReport.Verdict.met || $0.verdict == RunReport.Verdict.missed }
        row("Achieved results", all, r.ended != nil && !measured.isEmpty,
            measured.map { "\($0.name): \($0.verdict)" }.joined(separator: ", "),
            r.ended == nil ? "the run did not end" : "no objective was measured")
        let explained = (r.annotations ?? []).filter { $0.kind == "deviation" }
        row("Deviations", all, r.deviations.isEmpty || !explained.isEmpty,
            r.deviations.isEmpty ? "none recorded" : "\(r.deviations.count) recorded, \(explained.count) explained (firedrill annotate --deviation)",
            "\(r.deviations.count) recorded, none explained (firedrill annotate --deviation)")
        let owned = (r.annotations ?? []).filter { $0.kind == "action" && $0.owner != nil }
        let lessons = (r.annotations ?? []).filter { $0.kind == "lesson" }
        row("Findings with owners", "ISO 22301 §8.5 · SOC 2 CC7.5 · DORA Art. 24–25", !owned.isEmpty || (r.actionItems.isEmpty && !lessons.isEmpty),
            owned.isEmpty ? "\(lessons.count) lesson\(lessons.count == 1 ? "" : "s"), no open finding" : "\(owned.count) action item\(owned.count == 1 ? "" : "s") with owner and due date, \(lessons.count) lesson\(lessons.count == 1 ? "" : "s")",
            r.actionItems.isEmpty ? "no lessons or action items recorded (firedrill annotate)" : "\(r.actionItems.count) finding\(r.actionItems.count == 1 ? "" : "s") without an owner (firedrill annotate --action … --owner … --due …)")
        let approvals = (r.signOffs ?? []).filter { $0.decision == "approved" && $0.role != "participant" }
        row("Approval", "ISO 22301 §8.5 · SOC 2 A1.3 · DORA Art. 24–25", !approvals.isEmpty,
            approvals.map { "\($0.name) (\($0.role))" + ($0.key == nil ? ", unsigned" : ", signed") }.joined(separator: "; "),
            "no owner or auditor approved the run (firedrill sign --decision approved)")
        return rows
    }
}
