import FiredrillCore
import Foundation

/// One run as the history store keeps it: recorded when the run starts (no ending yet) and again when it ends.
public struct RunRecord: Sendable, Codable, Equatable {
    /// Stable across the start record, the end record and `history import`: derived from the run directory and the
    /// start time written in its `run.json`.
    public var id: String
    public var plan: String
    public var planSHA256: String
    public var kind: String
    public var environment: String
    /// `user@host` of whoever started the run.
    public var runBy: String
    /// RFC 3339 UTC, as `run.json` has it.
    public var startedAt: String
    public var endedAt: String?
    /// `passed`, `deviated`, `aborted`, `failed`, `interrupted`; nil while the run is in progress (or died).
    public var ending: String?
    public var reason: String?
    /// The hex SHA-256 of the journal's last intact line when the run ended.
    public var journalHead: String?
    public var journalEvents: Int?
    /// Undo intents still open when the record was written: a run that owes them blocks the next run of its plan.
    public var owedUndos: Int
    /// Absolute path of the run directory (the source of truth) on the machine that ran it.
    public var runDirectory: String
    public var objectives: [ObjectiveRecord]

    public init(id: String, plan: String, planSHA256: String, kind: String, environment: String, runBy: String,
                startedAt: String, endedAt: String? = nil, ending: String? = nil, reason: String? = nil,
                journalHead: String? = nil, journalEvents: Int? = nil, owedUndos: Int = 0, runDirectory: String,
                objectives: [ObjectiveRecord] = []) {
        self.id = id
        self.plan = plan
        self.planSHA256 = planSHA256
        self.kind = kind
        self.environment = environment
        self.runBy = runBy
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.ending = ending
        self.reason = reason
        self.journalHead = journalHead
        self.journalEvents = journalEvents
        self.owedUndos = owedUndos
        self.runDirectory = runDirectory
        self.objectives = objectives
    }

    /// The id of the run started at `startedAt` in `runDirectory`.
    public static func id(runDirectory: String, startedAt: String) -> String {
        String(RunSession.sha256(runDirectory + "\n" + startedAt).prefix(32))
    }

    /// Seconds since 1970 of `startedAt`.
    public var startedEpoch: Double { Self.epoch(startedAt) ?? 0 }
    public var endedEpoch: Double? { endedAt.flatMap(Self.epoch) }

    /// The objective named `name` (`RTO`, `RPO`).
    public func objective(_ name: String) -> ObjectiveRecord? { objectives.first { $0.name == name } }

    /// Parses an RFC 3339 UTC time (`2026-11-22T03:15:00.123456Z` or without fraction) to seconds since 1970.
    /// Plain arithmetic over the UTF-8 bytes (no Calendar, no splitting): `due` and `history` parse every run's times.
    public static func epoch(_ text: String) -> Double? {
        var text = text
        return text.withUTF8 { bytes -> Double? in
            // YYYY-MM-DDTHH:MM:SS[.fraction]Z
            guard bytes.count >= 20, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A, bytes[16] == 0x3A,
                  bytes[bytes.count - 1] == 0x5A else { return nil }
            func number(_ from: Int, _ to: Int) -> Int? {
                var n = 0
                for i in from..<to {
                    let d = Int(bytes[i]) - 0x30
                    guard (0...9).contains(d) else { return nil }
                    n = n * 10 + d
                }
                return n
            }
            guard let year = number(0, 4), let month = number(5, 7), let day = number(8, 10), let h = number(11, 13),
                  let m = number(14, 16), let whole = number(17, 19) else { return nil }
            var fraction = 0.0
            let end = bytes.count - 1
            if end > 19 {
                guard bytes[19] == 0x2E, end > 20, end - 20 <= 9, let digits = number(20, end) else { return nil }
                var scale = 1.0
                for _ in 20..<end { scale *= 10 }
                fraction = Double(digits) / scale
            } else if end != 19 {
                return nil
            }
            guard (1...12).contains(month), (1...31).contains(day), (0...23).contains(h), (0...59).contains(m), whole < 61 else { return nil }
            // Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
            let y = month <= 2 ? year - 1 : year
            let era = (y >= 0 ? y : y - 399) / 400
            let yearOfEra = y - era * 400
            let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
            let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
            let days = era * 146_097 + dayOfEra - 719_468
            return Double(days * 86_400 + h * 3600 + m * 60 + whole) + fraction
        }
    }

    /// An RFC 3339 UTC time with microseconds.
    public static func rfc3339(_ date: Date) -> String {
        JournalClock.rfc3339(microseconds: Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }
}

/// An objective of a run: its target, what was achieved, and the verdict.
public struct ObjectiveRecord: Sendable, Codable, Equatable {
    public var name: String
    public var targetSeconds: Double?
    public var achievedSeconds: Double?
    /// `MET`, `MISSED`, `NOT MEASURED` or `NO OBJECTIVE`.
    public var verdict: String

    public init(name: String, targetSeconds: Double?, achievedSeconds: Double?, verdict: String) {
        self.name = name
        self.targetSeconds = targetSeconds
        self.achievedSeconds = achievedSeconds
        self.verdict = verdict
    }
}
