import FiredrillCore

/// `junit.xml`: the run as one JUnit test suite for CI, with a test case per steady-state check, guard, step,
/// undo, objective and verification, plus the run's ending, its rollback and the journal's integrity.
public enum JUnitReport {
    /// One `<testcase>`.
    struct Case {
        var classname: String
        var name: String
        var seconds: Double
        /// `failure`, `skipped` or nil (passed).
        var outcome: String?
        var message: String = ""
        var detail: String = ""
    }

    public static func render(_ r: RunReport) -> String {
        let cases = testCases(r)
        let failures = cases.filter { $0.outcome == "failure" }.count
        let skipped = cases.filter { $0.outcome == "skipped" }.count
        let suite = "firedrill." + (r.plan.isEmpty ? "run" : r.plan)
        let time = ReportText.plainSeconds(r.seconds ?? 0)
        var x: [String] = []
        x.append(#"<?xml version="1.0" encoding="UTF-8"?>"#)
        x.append(#"<testsuites name="firedrill" tests="\#(cases.count)" failures="\#(failures)" errors="0" skipped="\#(skipped)" time="\#(time)">"#)
        let host = r.initiator.split(separator: "@").last.map(String.init) ?? ""
        x.append(#"  <testsuite name="\#(e(suite))" tests="\#(cases.count)" failures="\#(failures)" errors="0" skipped="\#(skipped)" time="\#(time)" timestamp="\#(e(String(r.started.prefix(19))))" hostname="\#(e(host))">"#)
        x.append("    <properties>")
        let properties: [(String, String?)] = [
            ("kind", r.kind), ("title", r.title), ("plan.file", r.file), ("plan.sha256", r.sha256), ("git.commit", r.gitCommit),
            ("environment", r.environment), ("allow-production", r.productionAllowedBy.map { "by \($0)" }), ("initiator", r.initiator), ("operator", r.record.operatorSummary), ("ending", r.ending), ("reason", r.reason),
            ("rollback", r.rollback), ("journal.head", r.journal.head), ("journal.valid", String(r.journal.valid)),
        ]
        for (name, value) in properties {
            guard let value else { continue }
            x.append(#"      <property name="\#(e(name))" value="\#(e(value))"/>"#)
        }
        x.append("    </properties>")
        for c in cases {
            let open = #"    <testcase classname="\#(e(c.classname))" name="\#(e(c.name))" time="\#(ReportText.plainSeconds(max(0, c.seconds)))""#
            switch c.outcome {
            case "failure"?:
                x.append(open + ">")
                x.append(#"      <failure message="\#(e(ReportText.excerpt(c.message, limit: 500)))" type="\#(e(c.classname.components(separatedBy: ".").last ?? ""))">\#(e(c.detail.isEmpty ? c.message : c.detail))</failure>"#)
                x.append("    </testcase>")
            case "skipped"?:
                x.append(open + ">")
                x.append(#"      <skipped message="\#(e(ReportText.excerpt(c.message, limit: 500)))"/>"#)
                x.append("    </testcase>")
            default:
                x.append(open + "/>")
            }
        }
        x.append("  </testsuite>")
        x.append("</testsuites>")
        return x.joined(separator: "\n") + "\n"
    }

    static func e(_ s: String) -> String { ReportText.xml(s) }

    static func testCases(_ r: RunReport) -> [Case] {
        let base = "firedrill." + (r.plan.isEmpty ? "run" : r.plan)
        var cases: [Case] = []
        for p in r.probes where p.role.hasPrefix("steady-state") || p.role == "verify" {
            var c = Case(classname: "\(base).\(p.role)", name: p.probe, seconds: p.last.mono - p.first.mono, outcome: nil)
            if !p.lastPassed {
                c.outcome = "failure"
                c.message = p.lastMessage + (p.expected.map { " (expected \($0))" } ?? "")
                c.detail = "\(p.failures) of \(p.executions) executions failed; last: \(c.message)"
            }
            cases.append(c)
        }
        for p in r.probes where p.role == "guard" {
            var c = Case(classname: "\(base).guard", name: p.probe, seconds: p.last.mono - p.first.mono, outcome: nil)
            if let b = r.guardBreaches.first(where: { $0.guardName == p.probe }) {
                c.outcome = "failure"
                c.message = "breached at \(b.at.time): \(b.message)" + (b.expected.map { " (expected \($0))" } ?? "")
                c.detail = c.message + "; \(p.failures) of \(p.executions) executions failed"
            }
            cases.append(c)
        }
        for s in r.steps {
            var c = Case(classname: "\(base).step.\(s.phase)", name: s.name, seconds: s.seconds ?? 0, outcome: nil)
            switch s.status {
            case "ok": break
            case "failed":
                c.outcome = "failure"
                c.message = s.summary
            default:
                c.outcome = "skipped"
                c.message = s.summary.isEmpty || s.summary == s.status ? s.status : "\(s.status): \(s.summary)"
            }
            cases.append(c)
        }
        for b in r.rollbacks where b.kind == "undo" {
            var c = Case(classname: "\(base).undo", name: b.name, seconds: b.seconds ?? 0, outcome: nil)
            if b.status != "ok" {
                c.outcome = "failure"
                c.message = "\(b.description): \(b.status) \(b.detail)"
            }
            cases.append(c)
        }
        for u in r.undos where u.status == "pending" {
            cases.append(Case(classname: "\(base).undo", name: "undo #\(u.id) (\(u.step)) owed", seconds: 0, outcome: "failure",
                              message: "\(u.description) is still owed: run firedrill recover"))
        }
        for o in r.objectives {
            var c = Case(classname: "\(base).objective", name: o.name + (o.objectiveSeconds.map { " ≤ " + ReportText.seconds($0) } ?? ""),
                         seconds: o.achievedSeconds ?? 0, outcome: nil)
            let measurementFailed = o.name == "RPO" && r.drill?.rpo?.error != nil
            if o.verdict == RunReport.Verdict.missed || measurementFailed {
                c.outcome = "failure"
                c.message = "\(o.name) \(o.verdict): achieved \(ReportLabels.achieved(o)), objective \(ReportLabels.objective(o)); \(o.detail)"
            } else if o.verdict == RunReport.Verdict.notMeasured {
                c.outcome = "skipped"
                c.message = "not measured: \(o.detail)"
            }
            cases.append(c)
        }
        var ending = Case(classname: "\(base).run", name: "ending", seconds: r.seconds ?? 0, outcome: nil)
        if r.ending != "passed" {
            ending.outcome = "failure"
            ending.message = "\(r.ending): \(r.reason)"
        }
        cases.append(ending)
        var rollback = Case(classname: "\(base).run", name: "rollback", seconds: 0, outcome: nil)
        let completedByRecover = r.recoverSessions.last?.failures == 0
        let rollbackOwed = r.rollback == RollbackOutcome.rollbackFailed.rawValue || r.rollback == RollbackOutcome.pending.rawValue
            || r.rollback == "unknown"
        if (rollbackOwed && !completedByRecover) || r.recoveredAfterRollback == false {
            rollback.outcome = "failure"
            rollback.message = ReportLabels.rollback(r)
        }
        cases.append(rollback)
        var journal = Case(classname: "\(base).run", name: "journal hash chain", seconds: 0, outcome: nil)
        if !r.journal.valid {
            journal.outcome = "failure"
            journal.message = r.journal.problem ?? "broken"
        }
        cases.append(journal)
        return cases
    }
}
