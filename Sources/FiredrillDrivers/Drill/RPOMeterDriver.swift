import FiredrillCore
import Foundation

/// Measures RPO after recovery in the three `rpo:` modes:
/// - `heartbeat`: for the acknowledged markers that were lost, how much older the newest surviving marker before
///   them is (runner clock for both); with nothing written after recovery this is newest acknowledged − newest
///   surviving. Also how many acknowledged markers were lost;
/// - `query`: disaster time − the timestamp the plan's query returns from the recovered data;
/// - `backup`: disaster time − the newest backup's stop time (`pgbackrest info --output=json`, or a manifest file).
public struct RPOMeterDriver: RPOMeter {
    public init() {}

    public func measure(_ spec: RPOSpec, disasterAt: Double, heartbeat: HeartbeatStats?, runID: String, context: DriverContext) async throws -> RPOMeasurement {
        switch spec {
        case .heartbeat(let dsn, let table):
            return try await heartbeatRPO(dsn: dsn, table: table, stats: heartbeat, runID: runID, context: context)
        case .query(let dsn, let query):
            let connection = try await connect(dsn, context)
            defer { Task { await connection.close() } }
            let text: String?
            do {
                text = try await connection.scalar("SELECT extract(epoch FROM q.v)::double precision FROM (\(query)) AS q(v)")
            } catch {
                throw DriverError("rpo", "query failed: \(context.mask(String(describing: error)))")
            }
            guard let text, let newest = Double(text) else {
                throw DriverError("rpo", "the query returned no timestamp (is the table empty?)")
            }
            let seconds = max(0, disasterAt - newest)
            return RPOMeasurement(mode: "query", seconds: seconds,
                                  summary: "newest surviving row at \(Self.iso(newest)); disaster at \(Self.iso(disasterAt))",
                                  detail: ["newest-row": .number(newest), "disaster": .number(disasterAt), "clock-note": "the row timestamp comes from the database clock"])
        case .backup(let stanza, let manifest):
            let stop: Double
            let source: String
            if let stanza {
                stop = try await pgbackrestStop(stanza: stanza, context: context)
                source = "pgbackrest info (stanza \(stanza))"
            } else if let manifest {
                stop = try Self.manifestStop(manifest)
                source = manifest
            } else {
                throw DriverError("rpo", "`rpo.backup` needs a stanza or a manifest")
            }
            let seconds = max(0, disasterAt - stop)
            return RPOMeasurement(mode: "backup", seconds: seconds,
                                  summary: "newest backup stopped at \(Self.iso(stop)) (\(source)); disaster at \(Self.iso(disasterAt))",
                                  detail: ["backup-stop": .number(stop), "disaster": .number(disasterAt), "source": .string(source)])
        }
    }

    /// The loss window of the heartbeat: for each acknowledged marker that did not survive, its time minus the time
    /// of the newest marker before it that did (or the first acknowledged one); the RPO is the largest.
    ///
    /// Comparing only the newest acknowledged with the newest surviving marker is not enough: a heartbeat written
    /// through an address that follows the primary (a writer endpoint, a multi-host DSN with
    /// `target_session_attrs=read-write`) goes on writing to the new primary after recovery, so the newest marker
    /// survives even when the ones written just before the disaster were lost.
    func heartbeatRPO(dsn: String, table: String, stats: HeartbeatStats?, runID: String, context: DriverContext) async throws -> RPOMeasurement {
        guard let stats, let newestAcked = stats.newestAcknowledgedAt, let newestSeq = stats.newestAcknowledgedSeq else {
            throw DriverError("rpo", "no heartbeat marker was acknowledged before the disaster")
        }
        let connection = try await connect(dsn, context)
        defer { Task { await connection.close() } }
        let result: PGQueryResult
        do {
            result = try await connection.query("SELECT seq::text FROM \(table) WHERE run_id = $1", [runID])
        } catch {
            throw DriverError("rpo", "cannot read \(table): \(context.mask(String(describing: error)))")
        }
        let surviving = Set(result.rows.compactMap { $0.first.flatMap { $0 }.flatMap { Int($0) } })
        let window = Self.lossWindow(acknowledged: stats.acknowledgedMarkers, surviving: surviving)
        let newestSurviving = stats.acknowledgedMarkers.last { surviving.contains($0.seq) }
        var detail: [String: JSONValue] = [
            "newest-acknowledged-seq": .number(Double(newestSeq)), "newest-acknowledged-at": .number(newestAcked),
            "markers-acknowledged": .number(Double(stats.acknowledged)), "markers-lost": .number(Double(window.lost)),
            "markers-surviving": .number(Double(surviving.count)),
        ]
        if let newestSurviving {
            detail["newest-surviving-seq"] = .number(Double(newestSurviving.seq))
            detail["newest-surviving-at"] = .number(newestSurviving.at)
        } else {
            detail["note"] = "no marker survived: the figure is a lower bound (newest acknowledged − first acknowledged)"
        }
        if let lost = window.newestLost { detail["newest-lost-seq"] = .number(Double(lost.seq)) }
        let summary: String
        if let lost = window.newestLost {
            summary = "\(window.lost) acknowledged marker(s) lost, the newest #\(lost.seq); "
                + (window.before.map { "the newest surviving before the loss #\($0.seq)" } ?? "none before the loss survived")
        } else {
            summary = "newest acknowledged marker #\(newestSeq) survived; no acknowledged marker lost"
        }
        return RPOMeasurement(mode: "heartbeat", seconds: window.seconds, summary: summary, detail: .object(detail))
    }

    /// The largest gap between a lost acknowledged marker and the newest surviving marker before it; the number of
    /// lost markers, the newest of them, and the surviving marker that starts the largest gap.
    static func lossWindow(acknowledged: [HeartbeatStats.Marker], surviving: Set<Int>)
        -> (seconds: Double, lost: Int, newestLost: HeartbeatStats.Marker?, before: HeartbeatStats.Marker?) {
        var lastSurviving: HeartbeatStats.Marker?
        var worst = 0.0
        var lost = 0
        var newestLost: HeartbeatStats.Marker?
        var before: HeartbeatStats.Marker?
        let ordered = acknowledged.sorted { $0.seq < $1.seq }
        let origin = ordered.first?.at ?? 0
        for marker in ordered {
            if surviving.contains(marker.seq) {
                lastSurviving = marker
                continue
            }
            lost += 1
            newestLost = marker
            let window = marker.at - (lastSurviving?.at ?? origin)
            if window >= worst {
                worst = window
                before = lastSurviving
            }
        }
        return (max(0, worst), lost, newestLost, before)
    }

    func connect(_ dsn: String, _ context: DriverContext) async throws -> PGConnection {
        do {
            return try await PGConnection.connect(dsn, timeout: .seconds(10), statementTimeout: .seconds(30))
        } catch {
            throw DriverError("rpo", "cannot connect to \(PGConnection.redacted(context.mask(dsn))): \(context.mask(String(describing: error)))")
        }
    }

    func pgbackrestStop(stanza: String, context: DriverContext) async throws -> Double {
        let result = try await CommandRunner().run(CommandRequest(argv: ["pgbackrest", "--stanza=\(stanza)", "--output=json", "info"],
                                                                  timeout: .seconds(60), secrets: context.secrets))
        guard result.succeeded else { throw DriverError("rpo", CommandError.failed(result).description) }
        guard let json = try? JSONValue.parse(result.stdout), case .array(let stanzas) = json else {
            throw DriverError("rpo", "pgbackrest info did not print JSON")
        }
        let stops = stanzas.flatMap { $0["backup"]?.arrayValue ?? [] }.compactMap { $0["timestamp"]?["stop"]?.doubleValue }
        guard let newest = stops.max() else { throw DriverError("rpo", "pgbackrest reports no backup for stanza \(stanza)") }
        return newest
    }

    /// A JSON manifest with a stop time (`stop-time`, `stop_time` or `timestamp.stop`, epoch seconds or RFC 3339),
    /// or pg_basebackup's `backup_manifest`, whose modification time is when the backup finished.
    static func manifestStop(_ path: String) throws -> Double {
        guard let data = FileManager.default.contents(atPath: path) else { throw DriverError("rpo", "cannot read \(path)") }
        let json = try? JSONValue.parse(String(decoding: data, as: UTF8.self))
        let candidates: [JSONValue?] = [json?["stop-time"], json?["stop_time"], json?["timestamp"]?["stop"]]
        for candidate in candidates.compactMap({ $0 }) {
            if let n = candidate.doubleValue { return n }
            if let s = candidate.stringValue, let micro = JournalClock.microseconds(rfc3339: s) { return Double(micro) / 1e6 }
        }
        if json?["PostgreSQL-Backup-Manifest-Version"] != nil,
           let attributes = try? FileManager.default.attributesOfItem(atPath: path),
           let modified = attributes[.modificationDate] as? Date {
            return modified.timeIntervalSince1970
        }
        throw DriverError("rpo", "\(path) has no stop time (expected `stop-time`, or a pg_basebackup backup_manifest)")
    }

    static func iso(_ epoch: Double) -> String {
        JournalClock.rfc3339(microseconds: Int64(epoch * 1_000_000))
    }
}
