import FiredrillCore
import FiredrillReport
import Foundation

extension RunRecord {
    /// The record written when a run starts: who, what and where, with no ending yet.
    public static func started(runDirectory: String, environment: String) throws -> RunRecord {
        let directory = absolute(runDirectory)
        let manifest = try RunManifest.read(from: directory)
        return RunRecord(id: id(runDirectory: directory, startedAt: manifest.startedAt), plan: manifest.planName,
                         planSHA256: manifest.planSHA256, kind: manifest.kind.rawValue, environment: environment,
                         runBy: manifest.initiator, startedAt: manifest.startedAt, runDirectory: directory)
    }

    /// The record of a run directory as its journal tells it: the run directory is the source of truth, so the end
    /// record and `history import` are both read from it. A run that never ended has no ending.
    public static func read(runDirectory: String) throws -> RunRecord {
        let directory = absolute(runDirectory)
        let manifest = try RunManifest.read(from: directory)
        let report = try RunReport.load(runDirectory: directory)
        let events = (try? JournalReader.read(at: URL(fileURLWithPath: directory + "/" + Journal.fileName)).events) ?? []
        let recovered = report.recoverSessions.last { $0.end != nil }
        return RunRecord(
            id: id(runDirectory: directory, startedAt: manifest.startedAt), plan: manifest.planName,
            planSHA256: manifest.planSHA256, kind: manifest.kind.rawValue, environment: report.environment,
            runBy: manifest.initiator, startedAt: manifest.startedAt, endedAt: report.ended ?? (recovered == nil ? nil : report.journal.lastTime),
            ending: report.ended == nil ? (recovered == nil ? nil : "recovered") : report.ending,
            reason: report.ended == nil ? nil : report.reason, journalHead: report.journal.head, journalEvents: report.journal.events,
            owedUndos: RunDirectory.pendingUndos(in: events).count, runDirectory: directory,
            objectives: report.objectives.map {
                ObjectiveRecord(name: $0.name, targetSeconds: $0.objectiveSeconds, achievedSeconds: $0.achievedSeconds, verdict: $0.verdict)
            })
    }

    static func absolute(_ path: String) -> String {
        ((path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path) as NSString).standardizingPath
    }
}
