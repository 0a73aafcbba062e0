import FiredrillCore
import FiredrillReport
import FiredrillTestSupport
import Foundation
import Testing

/// Signed runs through the binary: a runner killed by SIGKILL verifies up to its last checkpoint and `recover`
/// seals it; sign-offs and annotations survive re-rendering and their tampering is caught; the anchors file
/// catches a cut tail; trusted keys refuse an unsigned journal.
@Suite(.serialized) struct SignedRunTests {
    static func firedrill(_ arguments: [String], timeout: Duration = .seconds(60)) async throws -> (status: Int32?, output: String) {
        let child = try ChildProcess([try FiredrillBinary.path()] + arguments)
        let status = await child.wait(timeout: timeout)
        return (status, child.readOutput())
    }

    /// A key pair in `dir/keys`: (private key path, public key path).
    static func keys(in dir: String) async throws -> (String, String) {
        let made = try await firedrill(["key", "generate", "--out", dir + "/keys"])
        #expect(made.status == 0, "\(made.output)")
        #expect(made.output.contains("fingerprint: "))
        return (dir + "/keys/firedrill.key", dir + "/keys/firedrill.pub")
    }

    static func plan(in dir: String, name: String, wait: String) throws -> String {
        let path = dir + "/\(name).yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: \(name)
        title: signed run \(name)
        description: Checks that a signed run's record holds up; the rationale is the audit trail itself.
        environment: test
        method:
          - wait: \(wait)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    static func write(_ lines: [String], to path: String) throws {
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    }

    @Test func aSigkilledSignedRunVerifiesUpToItsLastCheckpointAndRecoverSealsIt() async throws {
        let dir = try TempDirectory.make(prefix: "signed-kill")
        let (key, pub) = try await Self.keys(in: dir)
        let plan = try Self.plan(in: dir, name: "signed-kill", wait: "120s")
        let runDir = dir + "/run"
        let runner = try ChildProcess([try FiredrillBinary.path(), "run", plan, "--report-dir", runDir, "--quiet", "--signing-key", key])
        // The runner checkpoints 5 s after the first event it has not signed; wait for it (bounded), then kill.
        var checkpointed = false
        for _ in 0..<600 where !checkpointed {
            try await Task.sleep(for: .milliseconds(100))
            checkpointed = (try? String(contentsOfFile: runDir + "/journal.jsonl", encoding: .utf8))?.contains(#""type":"journal.checkpoint""#) == true
        }
        #expect(checkpointed, "no checkpoint within 60 s")
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(10))

        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        let audit = JournalAuditor.audit(contents)
        let count = contents.verification.eventCount
        let proven = try #require(audit.signedThrough)
        #expect(audit.integrity == .unfinished && !audit.lostTail)
        #expect(proven >= 1 && proven < count)

        let verify = try await Self.firedrill(["verify", runDir, "--trust", pub])
        #expect(verify.status == 1, "\(verify.output)")
        #expect(verify.output.contains("unfinished or truncated after event \(count) (no seal and no later checkpoint; signatures prove events 1…\(proven))"), "\(verify.output)")
        #expect(verify.output.contains("the runner stopped before the end"), "\(verify.output)")
        #expect(verify.output.contains("signed by trusted key"))

        let recover = try await Self.firedrill(["recover", runDir, "--signing-key", key])
        #expect(recover.status == 0, "\(recover.output)")
        let after = try await Self.firedrill(["verify", runDir, "--trust", pub])
        #expect(after.status == 0, "\(after.output)")
        #expect(after.output.contains(": sealed: "), "\(after.output)")
        let report = try RunReport.load(runDirectory: runDir)
        #expect(report.journal.integrity == "sealed")
    }

    @Test func signOffsAndAnnotationsSurviveReRenderingAndTheirTamperingIsCaught() async throws {
        let dir = try TempDirectory.make(prefix: "signed-signoff")
        let (key, pub) = try await Self.keys(in: dir)
        let plan = try Self.plan(in: dir, name: "signed-signoff", wait: "10ms")
        let runDir = dir + "/run"
        let run = try await Self.firedrill(["run", plan, "--report-dir", runDir, "--signing-key", key])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("journal: sealed: "), "\(run.output)")

        let sign = try await Self.firedrill(["sign", runDir, "--role", "owner", "--name", "Service Owner", "--decision", "approved",
                                             "--comment", "RTO evidence reviewed", "--signing-key", key])
        #expect(sign.status == 0, "\(sign.output)")
        let annotate = try await Self.firedrill(["annotate", runDir, "--lesson", "paging took too long", "--lesson", "runbook step 3 is stale",
                                                 "--action", "update runbook step 3", "--owner", "sre-team", "--due", "2027-01-15",
                                                 "--signing-key", key])
        #expect(annotate.status == 0, "\(annotate.output)")
        let badDate = try await Self.firedrill(["annotate", runDir, "--action", "x", "--owner", "y", "--due", "2027-02-30"])
        #expect(badDate.status != 0, "an impossible due date is refused")

        // Re-rendering reads them back from their files.
        let rerender = try await Self.firedrill(["report", runDir])
        #expect(rerender.status == 0, "\(rerender.output)")
        let report = try RunReport.load(runDirectory: runDir)
        #expect(report.signOffs?.map(\.name) == ["Service Owner"])
        #expect(report.signOffs?.first?.key != nil)
        #expect(report.annotations?.map(\.kind) == ["lesson", "lesson", "action"])
        #expect(report.annotations?.last?.owner == "sre-team" && report.annotations?.last?.due == "2027-01-15")
        #expect(report.recordProblems == [])
        let approval = try #require(report.evidenceMap?.first { $0.element == "Approval" })
        #expect(approval.status == "present")
        let markdown = try String(contentsOfFile: runDir + "/report.md", encoding: .utf8)
        #expect(markdown.contains("### Recorded sign-offs") && markdown.contains("Service Owner") && markdown.contains("update runbook step 3"))
        #expect(markdown.contains("## What this report evidences"))
        let json = try String(contentsOfFile: runDir + "/report.json", encoding: .utf8)
        #expect(json.contains("\"signOffs\"") && json.contains("RTO evidence reviewed"))

        let clean = try await Self.firedrill(["verify", runDir, "--trust", pub])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("signoffs.jsonl: 1 entry chained to the seal, 1 signed"), "\(clean.output)")
        #expect(clean.output.contains("annotations.jsonl: 3 entries chained to the seal, 3 signed"), "\(clean.output)")

        // An edited sign-off: caught by its signature.
        let signoffs = runDir + "/signoffs.jsonl"
        let original = try Self.lines(signoffs)
        try Self.write(original.map { $0.replacingOccurrences(of: "approved", with: "rejected") }, to: signoffs)
        let edited = try await Self.firedrill(["verify", runDir, "--trust", pub])
        #expect(edited.status == 1)
        #expect(edited.output.contains("TAMPERED: signoffs.jsonl: entry 1's signature does not match it (edited)"), "\(edited.output)")
        #expect(try RunReport.load(runDirectory: runDir).recordProblems?.first?.contains("TAMPERED") == true)
        try Self.write(original, to: signoffs)

        // Reordered annotations: caught by the chain.
        let annotations = runDir + "/annotations.jsonl"
        let notes = try Self.lines(annotations)
        try Self.write([notes[1], notes[0], notes[2]], to: annotations)
        let reordered = try await Self.firedrill(["verify", runDir])
        #expect(reordered.status == 1)
        #expect(reordered.output.contains("TAMPERED: annotations.jsonl: entry 1 has seq 2"), "\(reordered.output)")
        // A deleted middle annotation: caught too.
        try Self.write([notes[0], notes[2]], to: annotations)
        let deleted = try await Self.firedrill(["verify", runDir])
        #expect(deleted.status == 1)
        #expect(deleted.output.contains("TAMPERED: annotations.jsonl: entry 2 has seq 3"), "\(deleted.output)")
    }

    @Test func theAnchorsFileCatchesACutTailAndTrustedKeysRefuseAnUnsignedRun() async throws {
        let dir = try TempDirectory.make(prefix: "signed-anchor")
        let (_, pub) = try await Self.keys(in: dir)
        let plan = try Self.plan(in: dir, name: "unsigned-anchor", wait: "10ms")
        let runDir = dir + "/run"
        let anchors = dir + "/anchors.jsonl"
        let run = try await Self.firedrill(["run", plan, "--report-dir", runDir, "--anchor-file", anchors])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("journal: sealed: ") && run.output.contains("; unsigned"), "\(run.output)")

        let plain = try await Self.firedrill(["verify", runDir, "--anchors", anchors])
        #expect(plain.status == 0, "\(plain.output)")
        #expect(plain.output.contains("signing: unsigned"))
        #expect(plain.output.contains("anchor: event "))
        let trusted = try await Self.firedrill(["verify", runDir, "--trust", pub])
        #expect(trusted.status == 1)
        #expect(trusted.output.contains("FAILED: unsigned"), "\(trusted.output)")

        let journal = runDir + "/journal.jsonl"
        let lines = try Self.lines(journal)
        try Self.write(Array(lines.dropLast(2)), to: journal)
        let cut = try await Self.firedrill(["verify", runDir, "--anchors", anchors])
        #expect(cut.status == 1)
        #expect(cut.output.contains("unfinished or truncated after event \(lines.count - 2) (no seal)"), "\(cut.output)")
        #expect(cut.output.contains("FAILED: anchor: truncated: the anchor"), "\(cut.output)")
        #expect(cut.output.contains("report.json records \(lines.count) events"), "\(cut.output)")
        // The reports say so too.
        _ = try await Self.firedrill(["report", runDir])
        let markdown = try String(contentsOfFile: runDir + "/report.md", encoding: .utf8)
        #expect(markdown.contains("unfinished or truncated after event \(lines.count - 2)"))
    }

    /// A removed last sign-off leaves no trace in its file; the anchors file `sign`/`annotate --anchor-file` append
    /// to catches it, and a removed log, while the journal's own anchor stays valid.
    @Test func theAnchorsFileCatchesARemovedLastSignOffAndARemovedLog() async throws {
        let dir = try TempDirectory.make(prefix: "signed-signoff-anchor")
        let plan = try Self.plan(in: dir, name: "signoff-anchor", wait: "10ms")
        let runDir = dir + "/run"
        let anchors = dir + "/anchors.jsonl"
        let run = try await Self.firedrill(["run", plan, "--report-dir", runDir, "--anchor-file", anchors])
        #expect(run.status == 0, "\(run.output)")
        for decision in ["noted", "approved"] {
            let sign = try await Self.firedrill(["sign", runDir, "--role", "auditor", "--name", "Auditor", "--decision", decision,
                                                 "--anchor-file", anchors])
            #expect(sign.status == 0 && sign.output.contains("anchored in \(anchors): signoffs.jsonl entry "), "\(sign.output)")
        }
        let annotate = try await Self.firedrill(["annotate", runDir, "--lesson", "the standby took long to catch up", "--anchor-file", anchors])
        #expect(annotate.status == 0, "\(annotate.output)")
        // A hostile line in the anchors file is ignored, never a crash.
        let hostile = #"{"entries":0,"head":"00","log":"signoffs.jsonl","run-id":"run"}"#
        try Self.write(try Self.lines(anchors) + [hostile], to: anchors)

        let clean = try await Self.firedrill(["verify", runDir, "--anchors", anchors])
        #expect(clean.status == 0, "\(clean.output)")
        #expect(clean.output.contains("anchor: signoffs.jsonl entry 2 has the anchored head "), "\(clean.output)")
        #expect(clean.output.contains("anchor: annotations.jsonl entry 1 has the anchored head "), "\(clean.output)")

        let signoffs = runDir + "/signoffs.jsonl"
        try Self.write(Array(try Self.lines(signoffs).dropLast()), to: signoffs)
        let alone = try await Self.firedrill(["verify", runDir])
        #expect(alone.status == 0, "the file alone cannot show a removed last entry: \(alone.output)")
        let cut = try await Self.firedrill(["verify", runDir, "--anchors", anchors])
        #expect(cut.status == 1, "\(cut.output)")
        #expect(cut.output.contains("anchor: truncated: the anchor") && cut.output.contains("records 2 entries in signoffs.jsonl"), "\(cut.output)")
        #expect(cut.output.contains("the file has only 1"), "\(cut.output)")

        try FileManager.default.removeItem(atPath: runDir + "/annotations.jsonl")
        let gone = try await Self.firedrill(["verify", runDir, "--anchors", anchors])
        #expect(gone.status == 1)
        #expect(gone.output.contains("records 1 entries in annotations.jsonl; the file is gone"), "\(gone.output)")
    }

    /// The history store keeps the head and event count each run ended at: `verify --store` compares the journal with
    /// it, so a cut tail (or a rewritten one) shows against a record outside the run directory.
    @Test func theHistoryStoreIsAnAnchorTooAndCatchesACutTail() async throws {
        let dir = try TempDirectory.make(prefix: "signed-store")
        let plan = try Self.plan(in: dir, name: "store-anchor", wait: "10ms")
        let runDir = dir + "/run"
        let store = dir + "/history.sqlite"
        let run = try await Self.firedrill(["run", plan, "--report-dir", runDir, "--store", store])
        #expect(run.status == 0, "\(run.output)")

        let intact = try await Self.firedrill(["verify", runDir, "--store", store])
        #expect(intact.status == 0, "\(intact.output)")
        #expect(intact.output.contains("store: event "), "\(intact.output)")

        let journal = runDir + "/journal.jsonl"
        let lines = try Self.lines(journal)
        try Self.write(Array(lines.dropLast(2)), to: journal)
        let cut = try await Self.firedrill(["verify", runDir, "--store", store])
        #expect(cut.status == 1)
        #expect(cut.output.contains("FAILED: store: truncated: the anchor (the store's end record"), "\(cut.output)")

        let elsewhere = try await Self.firedrill(["verify", runDir, "--store", dir + "/empty.sqlite"])
        #expect(elsewhere.status == 1)
        #expect(elsewhere.output.contains("has no record of run"), "\(elsewhere.output)")
    }
}
