import FiredrillCore
import FiredrillReport
import FiredrillTestSupport
import Foundation
import Testing
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Reports of real runs against fakes: the figures match the journal, verdicts, sign-off, evidence, escaping, and
/// a JUnit file CI can parse.
@Suite struct ReportContentTests {
    @Test func drillReportCarriesMeasurementsAndEvidence() async throws {
        let rig = ReportRig.Drill(repairDelay: .milliseconds(300), rpoSeconds: 1.25)
        let summary = try await ReportRig.run(ReportRig.drillPlan(), drivers: rig.drivers, notes: ["paged the DBA at 02:10 <i>ok</i>"])
        defer { ReportRig.removeRun(summary.runDirectory) }
        #expect(summary.ending == .passed, "\(summary.reason)")
        let out = try ReportRig.render(summary.runDirectory)
        let r = out.report

        // The JSON model agrees with the journal.
        let rtoEvent = try #require(summary.events.first { $0.type == "rto.measured" })
        let rto = try #require(r.drill?.rto)
        #expect(r.schema == "firedrill.report/v1")
        #expect(rto.seconds == rtoEvent.data["seconds"]?.doubleValue)
        #expect(rto.verdict == "MET")
        #expect(rto.objectiveSeconds == 5)
        let detection = try #require(rto.detectionSeconds), repair = try #require(rto.repairSeconds)
        #expect(abs(detection + repair - (rto.seconds ?? 0)) < 0.001)
        let injected = try #require(rto.injected), detected = try #require(rto.detected), stable = try #require(rto.stable)
        #expect(injected.offsetSeconds == 0)
        #expect(abs(stable.offsetSeconds - (rto.seconds ?? 0)) < 0.001)
        #expect(detected.time > injected.time && stable.time > detected.time)
        #expect(rto.firstHealthy != nil)
        let rpo = try #require(r.drill?.rpo)
        #expect(rpo.seconds == 1.25 && rpo.verdict == "MET" && rpo.markersLost == 4 && rpo.mode == "query")
        #expect(r.objectives.map(\.name) == ["RTO", "RPO"])
        #expect(r.timeline.count == summary.events.filter { $0.type == "probe.result" }.count)
        #expect(r.phases.map(\.name).starts(with: ["baseline", "disaster", "recovery"]))
        #expect(r.failback?.verified == true && r.failback?.steps == ["failback"])
        #expect(r.rollbacks.map(\.name) == ["rollback"])
        #expect(r.actionItems.isEmpty)
        #expect(out.markdown.contains("None: every objective was met, and no step, undo, rollback or guard failed."))
        #expect(r.notes == ["paged the DBA at 02:10 <i>ok</i>"])
        #expect(r.description?.hasPrefix("Scales the API to zero and back.") == true)
        // The description's lists stay lists (continuation lines joined to their item), escaped.
        #expect(out.markdown.contains("What is checked:\n\n- RTO &lt;5s&gt; &amp; the API answers again;\n- the \\*rollback\\* runs\n\n1. first\n2. second\n"),
                "\(out.markdown)")
        #expect(out.html.contains("<p>What is checked:</p>\n<ul><li>RTO &lt;5s&gt; &amp; the API answers again;</li><li>the *rollback* runs</li></ul>\n<ol><li>first</li><li>second</li></ol>"))
        #expect(r.planCopy == "matches")
        let verification = try JournalVerifier.verify(at: URL(fileURLWithPath: summary.runDirectory))
        #expect(r.journal.head == verification.head && r.journal.valid && r.journal.events == verification.eventCount)

        // Markdown: auditor summary first, the figures, verdicts, sign-off and evidence.
        let md = out.markdown
        let summaryAt = try #require(md.range(of: "## Auditor summary"))
        let stepsAt = try #require(md.range(of: "## Steps"))
        #expect(summaryAt.lowerBound < stepsAt.lowerBound)
        #expect(md.contains("| RTO | ≤ 5.000s | \(ReportText.seconds(rto.seconds)) | **MET** |"))
        #expect(md.contains("| RPO | ≤ 5.000s | 1.250s | **MET** |"))
        #expect(md.contains("RTO = stable − injected"))
        #expect(md.contains("| Detection (detected − injected) | \(ReportText.seconds(detection)) |"))
        #expect(md.contains("| Repair (stable − detected) | \(ReportText.seconds(repair)) |"))
        #expect(md.contains("| Markers lost | 4 |"))
        #expect(md.contains("`\(r.sha256)`"))
        #expect(md.contains("| Initiator | auditor@test-host |"))
        #expect(md.contains("| Participants | on-call SRE, DBA |"))
        #expect(md.contains("Scales the API to zero and back."))
        for role in ["Prepared by", "Reviewed by", "Approved by"] { #expect(md.contains("| \(role) |")) }
        #expect(md.contains("Head of the hash chain: `\(verification.head)`"))
        #expect(md.contains("firedrill verify <run directory>"))
        #expect(md.contains("Verification: **verified**"))
        #expect(md.contains("paged the DBA at 02:10 &lt;i&gt;ok&lt;/i&gt;"))

        // HTML: the same figures with stable ids, charts, nothing executable.
        let html = out.html
        #expect(html.contains(#"<div class="big" id="rto-value">\#(ReportText.seconds(rto.seconds))</div>"#))
        #expect(html.contains(#"<div class="big" id="rpo-value">1.250s</div>"#))
        #expect(html.contains(#"id="rto-verdict">MET</span>"#))
        #expect(html.contains(#"<figure class="probe-chart" id="probe-chart-health""#))
        #expect(html.contains(#"class="fault-window""#))
        for mark in ["injected", "detected", "first-healthy", "stable"] { #expect(html.contains(#"class="mark mark-\#(mark)""#)) }
        #expect(html.contains(#"id="objective-chart""#))
        #expect(html.contains(#"id="journal-head">\#(verification.head)</code>"#))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link") && !html.contains("src=\"http") && !html.contains("href=\"http"))

        // JUnit: objectives pass.
        let junit = try JUnitSummary(xml: out.junit)
        #expect(junit.failures == 0, "\(junit.failureMessages)")
        #expect(junit.cases.contains("firedrill.report-drill.objective/RTO ≤ 5.000s"))
        #expect(junit.cases.contains("firedrill.report-drill.objective/RPO ≤ 5.000s"))
        #expect(junit.cases.contains("firedrill.report-drill.steady-state-baseline/health"))
    }

    @Test func escapesScriptInStepNamesOutputsAndTitles() async throws {
        let rig = ReportRig.Drill(repairDelay: .milliseconds(100), rpoSeconds: 0.5)
        let summary = try await ReportRig.run(ReportRig.drillPlan(), drivers: rig.drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        let out = try ReportRig.render(summary.runDirectory)
        #expect(out.report.steps.contains { $0.name == ReportRig.scriptName })

        #expect(!out.html.contains("<script"))
        #expect(!out.html.contains("<b>bold"))
        #expect(out.html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(out.html.contains("&lt;script&gt;alert(2)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(out.html.contains("<title>Drill report: Lose the API &lt;script&gt;alert(3)&lt;/script&gt;</title>"))

        #expect(!out.markdown.contains("<script"))
        #expect(!out.markdown.contains("<b>"))
        #expect(out.markdown.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(out.markdown.contains("# Drill report: Lose the API &lt;script&gt;alert(3)&lt;/script&gt;"))

        #expect(!out.junit.contains("<script"))
        #expect(out.junit.contains("name=\"&lt;script&gt;alert(1)&lt;/script&gt;\""))
        _ = try JUnitSummary(xml: out.junit)
    }

    @Test func missedObjectivesAreFlaggedWithActionItems() async throws {
        let rig = ReportRig.Drill(repairDelay: .milliseconds(500), rpoSeconds: 2.5)
        let summary = try await ReportRig.run(ReportRig.drillPlan(rto: "100ms", rpo: "1s"), drivers: rig.drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        #expect(summary.ending == .deviated)
        let out = try ReportRig.render(summary.runDirectory)
        let r = out.report
        #expect(r.drill?.rto?.verdict == "MISSED")
        #expect(r.drill?.rpo?.verdict == "MISSED")
        let missed = r.actionItems.filter { $0.kind == "objective-missed" }
        #expect(missed.map(\.subject) == ["RTO", "RPO"])
        #expect(r.actionItems.map(\.id) == (1...r.actionItems.count).map { "AI-\($0)" })
        #expect(r.deviations.filter { $0.kind == "objective-missed" }.count == 2)

        #expect(out.markdown.contains("| RTO | ≤ 100ms | \(ReportText.seconds(r.drill?.rto?.seconds)) | **MISSED** |"))
        #expect(out.markdown.contains("| RPO | ≤ 1.000s | 2.500s | **MISSED** |"))
        #expect(out.markdown.contains("- [ ] **AI-1** (objective-missed, RTO"))
        #expect(out.html.contains(#"id="rto-verdict">MISSED</span>"#))
        #expect(out.html.contains(#"id="rpo-verdict">MISSED</span>"#))
        #expect(out.html.contains(#"class="bar bar-rpo missed""#))

        let junit = try JUnitSummary(xml: out.junit)
        #expect(junit.failedCases.contains("firedrill.report-drill.objective/RTO ≤ 100ms"))
        #expect(junit.failedCases.contains("firedrill.report-drill.objective/RPO ≤ 1.000s"))
        #expect(junit.failedCases.contains("firedrill.report-drill.run/ending"))
        #expect(junit.failureMessages.contains { $0.contains("RTO MISSED") })
    }

    /// A lower bound above the objective is NOT MET, shown as "≥"; a lower bound under it, or no figure, is
    /// INCONCLUSIVE, and so is the run (exit 5).
    @Test func rpoBoundsAndInconclusiveVerdictsAreRendered() async throws {
        let bounded = ReportRig.Drill(repairDelay: .milliseconds(100), rpoSeconds: 6.2, rpoBound: .lowerBound)
        let missed = try await ReportRig.run(ReportRig.drillPlan(rpo: "5s"), drivers: bounded.drivers)
        defer { ReportRig.removeRun(missed.runDirectory) }
        #expect(missed.ending == .deviated)
        let out = try ReportRig.render(missed.runDirectory)
        #expect(out.report.drill?.rpo?.verdict == "MISSED")
        #expect(out.report.drill?.rpo?.bound == "lower-bound")
        #expect(out.markdown.contains("| RPO | ≤ 5.000s | ≥ 6.200s | **MISSED** |"), "\(out.markdown)")
        #expect(out.html.contains(#"id="rpo-value">≥ 6.200s</div>"#))

        let under = ReportRig.Drill(repairDelay: .milliseconds(100), rpoSeconds: 0.3, rpoBound: .lowerBound)
        let unsure = try await ReportRig.run(ReportRig.drillPlan(rpo: "5s"), drivers: under.drivers)
        defer { ReportRig.removeRun(unsure.runDirectory) }
        #expect(unsure.ending == .inconclusive, "\(unsure.reason)")
        let rendered = try ReportRig.render(unsure.runDirectory)
        #expect(rendered.report.drill?.rpo?.verdict == "INCONCLUSIVE")
        #expect(rendered.markdown.contains("> **Verdict: INCONCLUSIVE (exit 5)**"), "\(rendered.markdown.prefix(400))")
        #expect(rendered.markdown.contains("| RPO | ≤ 5.000s | ≥ 300ms | **INCONCLUSIVE** |"))
        #expect(rendered.html.contains(#"verdict-banner verdict-inconclusive"#))
        #expect(rendered.html.contains(#"<span class="badge inconclusive" id="rpo-verdict">INCONCLUSIVE</span>"#))
        #expect(rendered.report.actionItems.contains { $0.kind == "objective-inconclusive" && $0.subject == "RPO" }, "\(rendered.report.actionItems)")
        #expect(!rendered.report.actionItems.contains { $0.kind == "objective-missed" })
        #expect(out.report.actionItems.contains { $0.kind == "objective-missed" && $0.text.hasPrefix("RPO ≥ 6.200s exceeded") }, "\(out.report.actionItems)")

        let nothing = ReportRig.Drill(repairDelay: .milliseconds(100), rpoSeconds: nil)
        let none = try await ReportRig.run(ReportRig.drillPlan(rpo: "5s"), drivers: nothing.drivers)
        defer { ReportRig.removeRun(none.runDirectory) }
        #expect(none.ending == .inconclusive)
        let rpo = try #require(none.events.first { $0.type == "rpo.measured" })
        #expect(rpo.data["seconds"] == .null && rpo.data["verdict"] == "inconclusive", "\(rpo.data)")
        #expect(try ReportRig.render(none.runDirectory).report.drill?.rpo?.verdict == "INCONCLUSIVE")
    }

    @Test func abortedExperimentListsBreachRollbacksAndActionItems() async throws {
        let rig = ReportRig.Experiment(failAfterInject: .milliseconds(300))
        let summary = try await ReportRig.run(ReportRig.experimentPlan(wait: "10s"), drivers: rig.drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        #expect(summary.ending == .aborted)
        let out = try ReportRig.render(summary.runDirectory)
        let r = out.report

        #expect(r.guardBreaches.map(\.guardName) == ["health"])
        #expect(r.undos.map(\.status) == ["failed"])
        #expect(r.rollbacks.map(\.kind) == ["undo", "step"])
        #expect(r.rollbacks.map(\.status) == ["failed", "failed"])
        #expect(r.recoveryCheck?.recovered == false)
        #expect(r.steps.first { $0.name == "hold" }?.status == "cancelled")
        let kinds = Set(r.actionItems.map(\.kind))
        #expect(kinds.isSuperset(of: ["guard-breach", "undo-failed", "rollback-failed", "not-restored"]))
        #expect(r.actionItems.first?.kind == "guard-breach")
        #expect(r.objectives.map(\.verdict) == ["NOT MEASURED"])
        let window = try #require(r.faultWindow)
        #expect(window.label == "method" && window.endMono > window.startMono)

        #expect(out.markdown.contains("## Guard breaches and deviations"))
        #expect(out.markdown.contains("| health | 1 |"))
        #expect(out.markdown.contains("&lt;script&gt;"))
        #expect(!out.markdown.contains("<script"))
        #expect(out.html.contains(#"class="mark mark-breach""#))
        #expect(out.html.contains(#"<li class="action-item" id="ai-1">"#))

        let junit = try JUnitSummary(xml: out.junit)
        #expect(junit.failedCases.contains("firedrill.report-experiment.guard/health"))
        #expect(junit.failedCases.contains("firedrill.report-experiment.step.rollbacks/rollback-one"))
        #expect(junit.failedCases.contains { $0.hasPrefix("firedrill.report-experiment.undo/undo #1") })
        #expect(junit.skippedCases.contains("firedrill.report-experiment.step.method/hold"))
        #expect(junit.failures == junit.failedCases.count)
    }

    /// A run stopped by its steady state lists no action item, and does not say that its objectives were met.
    @Test func aRunThatNeverStartedDoesNotClaimItsObjectiveWasMet() async throws {
        let rig = ReportRig.Experiment()
        rig.probe.set(passing: false)
        let summary = try await ReportRig.run(ReportRig.experimentPlan(), drivers: rig.drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        let out = try ReportRig.render(summary.runDirectory)
        #expect(out.report.ending == "not-started")
        #expect(out.report.objectives.first?.verdict == "NOT MEASURED")
        #expect(out.report.actionItems.isEmpty)
        let said = "None: no step, undo, rollback or guard failed, but not every objective was met (Steady-state hypothesis: NOT MEASURED); see Objectives vs achieved."
        #expect(out.markdown.contains(said), "\(out.markdown)")
        #expect(out.html.contains("<p>" + said + "</p>"))
        #expect(!out.markdown.contains("every objective was met,") && !out.html.contains("every objective was met,"))
        #expect(out.markdown.contains("| Scope | ISO 22301 §8.5 · SOC 2 A1.3 · DORA Art. 24–25 | **missing** | environment test, but no step ran, so no target was acted on |"),
                "\(out.markdown)")
    }

    @Test func passingExperimentMeetsItsHypothesis() async throws {
        let rig = ReportRig.Experiment()
        let summary = try await ReportRig.run(ReportRig.experimentPlan(wait: "100ms").replacingOccurrences(of: "kubernetes.rollout-undo: { deployment: api }", with: "wait: 10ms"),
                                              drivers: rig.drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        let out = try ReportRig.render(summary.runDirectory)
        let r = out.report
        #expect(r.ending == "passed")
        #expect(r.objectives.map(\.name) == ["Steady-state hypothesis"])
        #expect(r.objectives.first?.verdict == "MET")
        #expect(r.drill == nil)
        #expect(out.markdown.contains("| Steady-state hypothesis | all checks pass | passed | **MET** |"))
        #expect(!out.html.contains("id=\"rto-value\""))
        // The undo failed in the rollbacks even though the run passed: that is still an action item.
        #expect(r.actionItems.map(\.kind) == ["undo-failed"])
    }

    @Test func damagedJournalIsReportedAsBroken() async throws {
        let rig = ReportRig.Drill(repairDelay: .milliseconds(50), rpoSeconds: 0.1)
        let summary = try await ReportRig.run(ReportRig.drillPlan(), drivers: rig.drivers)
        defer { ReportRig.removeRun(summary.runDirectory) }
        let path = summary.runDirectory + "/journal.jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.contains("\"summary\":\"rolled back\""))
        try text.replacingOccurrences(of: "\"summary\":\"rolled back\"", with: "\"summary\":\"rolled back later\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let out = try ReportRig.render(summary.runDirectory)
        #expect(out.report.journal.valid == false)
        #expect(out.report.actionItems.contains { $0.kind == "journal-invalid" })
        // Headlined as invalid, not as an unfinished run that `firedrill recover` would complete.
        #expect(out.report.ending == "journal invalid")
        #expect(out.report.exitCode == nil)
        #expect(out.report.reason.hasPrefix("the journal is invalid ("))
        #expect(!out.report.actionItems.contains { $0.kind == "unfinished" })
        #expect(!out.report.deviations.contains { $0.kind == "unfinished" })
        #expect(out.markdown.contains("> **Verdict: JOURNAL INVALID** — the journal is invalid ("))
        #expect(!out.markdown.contains("UNFINISHED"))
        #expect(out.html.contains("<div class=\"verdict-banner verdict-journal-invalid\" id=\"verdict\"><strong>JOURNAL INVALID</strong>"))
        #expect(out.markdown.contains("Chain check: **BROKEN**"))
        #expect(try JUnitSummary(xml: out.junit).failedCases.contains("firedrill.report-drill.run/journal hash chain"))
    }
}

/// What a JUnit file holds, read with a real XML parser (so a malformed file fails the test).
final class JUnitSummary: NSObject, XMLParserDelegate {
    struct Invalid: Error, CustomStringConvertible { var description: String }

    private(set) var cases: [String] = []
    private(set) var failedCases: [String] = []
    private(set) var skippedCases: [String] = []
    private(set) var failureMessages: [String] = []
    private(set) var failures = -1
    private var current = ""

    init(xml: String) throws {
        super.init()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = self
        guard parser.parse() else {
            throw Invalid(description: "junit.xml does not parse: \(parser.parserError.map { "\($0)" } ?? "unknown error")")
        }
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "testsuite": failures = Int(attributes["failures"] ?? "") ?? -1
        case "testcase":
            current = (attributes["classname"] ?? "") + "/" + (attributes["name"] ?? "")
            cases.append(current)
        case "failure":
            failedCases.append(current)
            failureMessages.append(attributes["message"] ?? "")
        case "skipped": skippedCases.append(current)
        default: break
        }
    }
}
