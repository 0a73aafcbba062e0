import ArgumentParser
import Foundation
import FiredrillCore

/// `firedrill verify RUN_DIR` — check the journal's hash chain, its seal and signatures, the sign-offs and
/// annotations, and (with `--anchors`) the head recorded outside the run directory; name the first thing wrong.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a run's journal: hash chain, seal, signatures, sign-offs and annotations.",
        discussion: """
        Prints `sealed`, `unfinished or truncated after event N` or `TAMPERED: …`, and `unsigned` or who signed it.
        Exit codes: 0 sealed and intact (and, with --trust/--trusted-keys, wholly signed by a trusted key);
        1 tampered, unfinished or truncated, unsigned or signed by an unknown key when keys are given, or an
        anchor mismatch; 3 the journal cannot be read.
        """
    )

    @Argument(help: "The run directory, or a journal.jsonl file.")
    var path: String

    @Option(name: .customLong("trust"), help: "A trusted public key file (or its SHA-256 fingerprint); repeatable.")
    var trust: [String] = []

    @Option(name: .customLong("trusted-keys"), help: "A file of trusted public keys or fingerprints.")
    var trustedKeys: String?

    @Option(name: .customLong("anchors"), help: "An anchors file (`run --anchor-file`) to compare the journal's head with.")
    var anchors: String?

    func run() throws {
        let file = path.hasSuffix(".jsonl") ? path : path + "/" + Journal.fileName
        let directory = path.hasSuffix(".jsonl") ? (path as NSString).deletingLastPathComponent : path
        var keys: JournalTrust?
        if !trust.isEmpty || trustedKeys != nil {
            var set = JournalTrust()
            do {
                for argument in trust + (trustedKeys.map { [$0] } ?? []) { try set.add(argument) }
            } catch {
                Console.error("\(error)")
                throw ExitStatus.failed
            }
            keys = set
        }
        // One pass that keeps no events: a 50,000-event journal is checked in its file size plus a little.
        var auditor = JournalAuditor()
        var cuts: [JournalEvent] = []
        var prevs: [String] = []
        let verification: VerificationResult
        do {
            verification = try JournalReader.forEachEvent(at: URL(fileURLWithPath: file)) { event in
                auditor.consume(event)
                if event.is(.journalTornLineDiscarded) { cuts.append(event) }
                if anchors != nil { prevs.append(event.prev) }
            }
        } catch {
            Console.error("cannot read \(file): \(error)")
            throw ExitStatus.failed
        }
        let audit = auditor.finish(verification: verification, trust: keys)
        var failed = !audit.isClean
        print("\(file): \(audit.headline)")
        print("signing: \(audit.signingText)")
        if keys != nil, audit.signing == .unsigned {
            print("FAILED: unsigned: trusted keys were given but the journal carries no signature")
            failed = true
        }
        if case .signed(_, false) = audit.signing { print("FAILED: signed by an unknown key") }
        for detail in audit.details { print("  \(detail)") }
        print("head \(verification.head), \(verification.eventCount) intact events")
        // A torn last line cut off by `recover` is part of the record: say so.
        for cut in cuts {
            let bytes = cut.data["bytes"]?.intValue.map(String.init) ?? "?"
            let line = cut.data["line"]?.intValue.map(String.init) ?? "?"
            print("note: event \(cut.seq) records that a torn last line (\(bytes) bytes at line \(line), the runner stopped mid-write) was cut off")
        }
        let checks = RunRecordChecks.check(directory: directory, verification: verification, sealHashes: auditor.sealHashes,
                                           prevAt: { prevs[$0] }, audit: audit, anchors: anchors, trust: keys)
        for check in checks {
            print(check.ok ? check.text : "FAILED: \(check.text)")
            if !check.ok { failed = true }
        }
        if failed { throw ExitStatus.deviated }
    }
}
