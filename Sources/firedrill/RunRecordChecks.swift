import FiredrillCore
import Foundation

/// The checks `verify` makes beyond the journal itself: the anchors file, the head `report.json` recorded, and
/// the sign-offs and annotations chained to the seal.
enum RunRecordChecks {
    struct Line {
        var ok: Bool
        var text: String
    }

    /// `prevAt(i)`: the `prev` of the intact event at 0-based index `i` (needed only with `anchors`).
    static func check(directory: String, verification: VerificationResult, sealHashes seals: Set<String>,
                      prevAt: (Int) -> String, audit: JournalAudit, anchors: String?, trust: JournalTrust?) -> [Line] {
        var out: [Line] = []
        var evidenceAnchors: [EvidenceAnchor] = []
        if let anchors {
            let runID = (directory as NSString).lastPathComponent
            do {
                evidenceAnchors = try EvidenceAnchor.read(path: anchors, runID: runID)
                let found = try JournalAnchor.read(path: anchors, runID: runID)
                if found.isEmpty {
                    out.append(Line(ok: false, text: "the anchor file \(anchors) has no line for run \(runID)"))
                }
                for anchor in found {
                    if let mismatch = anchor.mismatch(with: verification, prevAt: prevAt) {
                        out.append(Line(ok: false, text: "anchor: \(mismatch)"))
                    } else {
                        out.append(Line(ok: true, text: "anchor: event \(anchor.events) has the anchored head \(anchor.head) (\(anchor.time))"))
                    }
                }
            } catch {
                out.append(Line(ok: false, text: "\(error)"))
            }
        }
        if audit.integrity == .unfinished, let recorded = reportedJournal(directory),
           recorded.events > verification.eventCount {
            out.append(Line(ok: false, text: "report.json records \(recorded.events) events (head \(recorded.head)): the run ended and was reported, and the journal has since lost its tail"))
        }
        for file in [EvidenceLog.signOffsFile, EvidenceLog.annotationsFile] {
            let log = EvidenceLog(runDirectory: directory, file: file)
            let anchored = evidenceAnchors.filter { $0.log == file }
            guard FileManager.default.fileExists(atPath: log.path) else {
                if let last = anchored.last {
                    out.append(Line(ok: false, text: "anchor: truncated: the anchor (\(last.time)) records \(last.entries) entries in \(file); the file is gone"))
                }
                continue
            }
            let check = log.check(sealHashes: seals)
            if let problem = check.problem {
                out.append(Line(ok: false, text: "TAMPERED: \(problem)"))
                continue
            }
            // Only the latest anchor of the log matters: the earlier ones are its prefixes.
            if let last = anchored.max(by: { $0.entries < $1.entries }) {
                if let mismatch = last.mismatch(with: check) {
                    out.append(Line(ok: false, text: "anchor: \(mismatch)"))
                } else {
                    out.append(Line(ok: true, text: "anchor: \(file) entry \(last.entries) has the anchored head \(last.head) (\(last.time))"))
                }
            }
            let signed = check.entries.filter(\.signed).count
            var text = "\(file): \(check.entries.count) entr\(check.entries.count == 1 ? "y" : "ies") chained to the seal, \(signed) signed"
            var ok = true
            if let trust {
                let unknown = check.keys.filter { !trust.trusts($0) }
                if !unknown.isEmpty {
                    ok = false
                    text += "; signed by an unknown key \(unknown.sorted().joined(separator: ", "))"
                }
            }
            out.append(Line(ok: ok, text: text))
        }
        return out
    }

    /// The journal `report.json` recorded when it was written.
    static func reportedJournal(_ directory: String) -> (events: Int, head: String)? {
        guard let text = try? String(contentsOfFile: directory + "/report.json", encoding: .utf8),
              let value = try? JSONValue.parse(text), let journal = value["journal"],
              let events = journal["events"]?.intValue, let head = journal["head"]?.stringValue else { return nil }
        return (events, head)
    }
}
