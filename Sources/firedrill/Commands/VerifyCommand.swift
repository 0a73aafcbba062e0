import ArgumentParser
import Foundation
import FiredrillCore
import FiredrillStore

/// `firedrill verify RUN_DIR` — check the journal's hash chain, its seal and signatures, the sign-offs and
/// annotations, and (with `--anchors`) the head recorded outside the run directory; name the first thing wrong.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Verify a run's journal: hash chain, seal, signatures, sign-offs and annotations.",
        discussion: """
        Prints `sealed`, `unfinished or truncated after event N` or `TAMPERED: …`, and `unsigned` or who signed it.
        Exit codes: 0 sealed and intact (and, with --trust/--trusted-keys, wholly signed by a trusted key);
        1 tampered, unfinished or truncated, unsigned or signed by an unknown key when keys are given, or an
        anchor or store mismatch; 3 the journal (or the store, with --store) cannot be read.
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

    @Option(name: .customLong("store"), help: ArgumentHelp(
        "A history store (a SQLite file or postgresql://…) whose end record of this run the journal's head is compared with.",
        discussion: "The store keeps the sealed head and event count each run ended at; a store the run directory's owner cannot write is an anchor outside the run directory."))
    var store: String?

    func run() async throws {
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
                if anchors != nil || store != nil { prevs.append(event.prev) }
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
        var all = checks
        if let store { all.append(try await storeCheck(store, directory: directory, verification: verification, prevs: prevs)) }
        for check in all {
            print(check.ok ? check.text : "FAILED: \(check.text)")
            if !check.ok { failed = true }
        }
        if failed { throw ExitStatus.deviated }
    }

    /// The journal against the history store's end record of the run: exit 3 when the store cannot be read.
    func storeCheck(_ location: String, directory: String, verification: VerificationResult,
                    prevs: [String]) async throws -> RunRecordChecks.Line {
        let id: String
        do {
            id = try RunRecord.started(runDirectory: directory, environment: "").id
        } catch {
            Console.error("cannot tell which run \(directory) is (its run.json): \(error)")
            throw ExitStatus.failed
        }
        let opened: any RunStore
        do {
            opened = try await StoreLocation.open(location, readOnly: true)
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
        let record: RunRecord?
        do {
            record = try await opened.run(id: id)
            await opened.close()
        } catch {
            await opened.close()
            Console.error("cannot read the store \(opened.description): \(error)")
            throw ExitStatus.failed
        }
        guard let record else {
            return .init(ok: false, text: "the store \(opened.description) has no record of run \(id)")
        }
        guard let head = record.journalHead, let events = record.journalEvents, record.endedAt != nil else {
            return .init(ok: false, text: "the store \(opened.description) records run \(id) as started but never ended: it holds no head to compare")
        }
        let anchor = JournalAnchor(runID: id, runDirectory: record.runDirectory, plan: record.plan, head: head, events: events,
                                   time: "the store's end record, \(record.endedAt ?? "")")
        if let mismatch = anchor.mismatch(with: verification, prevAt: { prevs[$0] }) {
            return .init(ok: false, text: "store: \(mismatch)")
        }
        return .init(ok: true, text: "store: event \(events) has the head \(head) the store recorded when the run ended")
    }
}
