import FiredrillCore
import FiredrillReport
import Foundation

/// The sealed journal a sign-off or annotation is chained to.
struct EvidenceTarget {
    let runDirectory: String
    let contents: JournalContents
    /// The hash of every `journal.sealed` line.
    let sealHashes: Set<String>
    /// The hash of the journal's last line, its seal.
    let lastSeal: String

    /// Reads the run's journal; refuses one that is tampered or not sealed (recover it first).
    init(runDirectory: String) throws {
        self.runDirectory = runDirectory
        do {
            contents = try JournalReader.read(at: URL(fileURLWithPath: runDirectory + "/" + Journal.fileName))
        } catch {
            Console.error("cannot read the journal of \(runDirectory): \(error)")
            throw ExitStatus.failed
        }
        let audit = JournalAuditor.audit(contents)
        guard audit.integrity == .sealed else {
            Console.error("\(runDirectory): the journal is \(audit.headline); a sign-off or annotation is chained to a sealed journal (run `firedrill verify \(runDirectory)`; an unfinished run is sealed by `firedrill recover`)")
            throw ExitStatus.failed
        }
        sealHashes = Self.sealHashes(contents)
        lastSeal = contents.verification.head
    }

    static func sealHashes(_ contents: JournalContents) -> Set<String> {
        Set(contents.events.filter { $0.is(.journalSealed) }.map { $0.lineHash() })
    }

    /// Appends `data` to `file` and re-renders the reports, which read the entry back from the file.
    /// With `anchorFile`, the log's new entry count and head are appended there too (`EvidenceAnchor`).
    func append(_ data: JSONValue, to file: String, key: JournalSigningKey?, anchorFile: String?) throws {
        let log = EvidenceLog(runDirectory: runDirectory, file: file)
        let added: (seq: Int, head: String)
        do {
            added = try log.append(data, sealHashes: sealHashes, lastSeal: lastSeal, key: key)
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
        print("\(log.path): entry \(added.seq)" + (key.map { ", signed by \($0.publicKey.fingerprint)" } ?? ", unsigned"))
        if let anchorFile {
            do {
                try EvidenceAnchor(runDirectory: runDirectory, log: file, entries: added.seq, head: added.head).append(to: anchorFile)
                print("anchored in \(anchorFile): \(file) entry \(added.seq)")
            } catch {
                Console.error("the entry is recorded, but could not be anchored: \(error)")
                throw ExitStatus.failed
            }
        }
        do {
            for path in try ReportWriter.write(runDirectory: runDirectory) { print("report: \(path)") }
        } catch {
            Console.error("the entry is recorded, but the reports could not be re-rendered: \(error)")
        }
    }
}
