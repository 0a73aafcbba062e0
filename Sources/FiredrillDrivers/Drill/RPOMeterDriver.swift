import FiredrillCore
import Foundation

/// Measures RPO after recovery in the three `rpo:` modes:
/// - `heartbeat`: for the acknowledged markers that were lost, how much older the newest surviving marker before
///   them is (runner clock for both); with nothing written after recovery this is newest acknowledged − newest
///   surviving. Also how many acknowledged markers were lost. When no marker written before the disaster survived,
///   the figure is a lower bound (newest lost − first acknowledged); when none was acknowledged before the disaster,
///   there is no figure. Alongside, in WAL terms: the old primary's last flushed LSN seen before the disaster
///   against the promoted server's LSN at promotion;
/// - `query`: the newest value the query returns on the primary just before the disaster − the newest it returns
///   on the recovered side (both from the database's clock);
/// - `backup`: disaster time − the newest backup's stop time (`pgbackrest info --output=json`, or a manifest file).
public struct RPOMeterDriver: RPOMeter {
    public init() {}

    public func before(_ spec: RPOSpec, context: DriverContext) async throws -> JSONValue? {
        guard case .query(let dsn, let query, let primary) = spec else { return nil }
        let source = primary ?? dsn
        let newest = try await newestValue(query, dsn: source, context: context)
        return ["newest": newest.map { .number($0) } ?? .null, "at": .string(PGConnection.redacted(context.mask(source)))]
    }

    public func measure(_ spec: RPOSpec, disasterAt: Double, heartbeat: HeartbeatStats?, before: JSONValue?, runID: String,
                        context: DriverContext) async throws -> RPOMeasurement {
        switch spec {
        case .heartbeat(let dsn, let table):
            return try await heartbeatRPO(dsn: dsn, table: table, stats: heartbeat, disasterAt: disasterAt, runID: runID, context: context)
        case .query(let dsn, let query, _):
            guard let after = try await newestValue(query, dsn: dsn, context: context) else {
                throw DriverError("rpo", "the query returned no timestamp on the recovered side (is the table empty?)")
            }
            guard let newestBefore = before?["newest"]?.doubleValue else {
                return RPOMeasurement(mode: "query", seconds: nil,
                                      summary: "the newest value on the primary just before the disaster is unknown (see rpo.before), so the loss cannot be judged",
                                      detail: ["newest-after": .number(after), "disaster": .number(disasterAt)])
            }
            let seconds = max(0, newestBefore - after)
            let summary = seconds == 0
                ? "the newest value before the disaster (\(Self.iso(newestBefore))) survived"
                : "newest value before the disaster \(Self.iso(newestBefore)), newest after recovery \(Self.iso(after))"
            return RPOMeasurement(mode: "query", seconds: seconds, summary: summary, detail: [
                "newest-before": .number(newestBefore), "newest-after": .number(after), "disaster": .number(disasterAt),
                "clock-note": "both values come from the database's clock; the runner's clock is not involved",
            ])
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

    /// The query's value as seconds since 1970; nil when it returned no row or NULL.
    func newestValue(_ query: String, dsn: String, context: DriverContext) async throws -> Double? {
        let connection = try await connect(dsn, context)
        defer { Task { await connection.close() } }
        let text: String?
        do {
            text = try await connection.scalar("SELECT extract(epoch FROM q.v)::double precision FROM (\(query)) AS q(v)")
        } catch {
            throw DriverError("rpo", "query failed at \(PGConnection.redacted(context.mask(dsn))): \(context.mask(String(describing: error)))")
        }
        return text.flatMap(Double.init)
    }

    /// The loss window of the heartbeat: for each acknowledged marker that did not survive, its time minus the time
    /// of the newest marker before it that did (or the first acknowledged one); the RPO is the largest.
    ///
    /// Comparing only the newest acknowledged with the newest surviving marker is not enough: a heartbeat written
    /// through an address that follows the primary (a writer endpoint, a multi-host DSN with
    /// `target_session_attrs=read-write`) goes on writing to the new primary after recovery, so the newest marker
    /// survives even when the ones written just before the disaster were lost.
    func heartbeatRPO(dsn: String, table: String, stats: HeartbeatStats?, disasterAt: Double, runID: String,
                      context: DriverContext) async throws -> RPOMeasurement {
        let stats = stats ?? HeartbeatStats()
        let beforeDisaster = stats.acknowledgedMarkers.filter { $0.at < disasterAt }
        let connection = try await connect(dsn, context)
        defer { Task { await connection.close() } }
        let wal = await walLoss(stats: stats, disasterAt: disasterAt, on: connection)
        guard let newestBefore = beforeDisaster.last else {
            var detail: [String: JSONValue] = ["markers-acknowledged": .number(Double(stats.acknowledged)), "markers-before-disaster": 0]
            if let wal { detail["wal"] = wal.json }
            return RPOMeasurement(mode: "heartbeat", seconds: nil,
                                  summary: "no heartbeat marker was acknowledged before the disaster, so there is nothing to measure the loss against",
                                  detail: .object(detail))
        }
        let rows: [[String?]]
        do {
            rows = try await connection.query("SELECT seq::text FROM \(table) WHERE run_id = $1", [runID]).rows
        } catch let error as PGError where error.sqlstate == "42P01" {
            // The recovered server has not even the marker table: it never received the heartbeat's first write,
            // so no marker survived.
            rows = []
        } catch {
            throw DriverError("rpo", "cannot read \(table): \(context.mask(String(describing: error)))")
        }
        let surviving = Set(rows.compactMap { $0.first.flatMap { $0 }.flatMap { Int($0) } })
        let window = Self.lossWindow(acknowledged: stats.acknowledgedMarkers, surviving: surviving)
        let newestSurviving = stats.acknowledgedMarkers.last { surviving.contains($0.seq) }
        let anyBeforeSurvived = beforeDisaster.contains { surviving.contains($0.seq) }
        var detail: [String: JSONValue] = [
            "newest-acknowledged-seq": stats.newestAcknowledgedSeq.map { .number(Double($0)) } ?? .null,
            "newest-acknowledged-at": stats.newestAcknowledgedAt.map { .number($0) } ?? .null,
            "newest-before-disaster-seq": .number(Double(newestBefore.seq)), "newest-before-disaster-at": .number(newestBefore.at),
            "first-acknowledged-at": stats.acknowledgedMarkers.first.map { .number($0.at) } ?? .null,
            "markers-acknowledged": .number(Double(stats.acknowledged)), "markers-lost": .number(Double(window.lost)),
            "markers-surviving": .number(Double(surviving.count)), "markers-before-disaster": .number(Double(beforeDisaster.count)),
        ]
        if let newestSurviving {
            detail["newest-surviving-seq"] = .number(Double(newestSurviving.seq))
            detail["newest-surviving-at"] = .number(newestSurviving.at)
        }
        if let lost = window.newestLost { detail["newest-lost-seq"] = .number(Double(lost.seq)) }
        if let wal { detail["wal"] = wal.json }
        let walText = wal.map { "; WAL: \($0.summary)" } ?? ""
        // The largest gap has no surviving marker before it: the loss began before the heartbeat's first marker.
        let bounded = window.lost > 0 && window.before == nil
        if !anyBeforeSurvived || bounded {
            detail["note"] = "no marker written before the disaster survived: the figure is a lower bound (newest lost − first acknowledged); a longer heartbeat.lead measures more"
            let summary = "≥ \(Self.seconds(window.seconds)): no pre-disaster marker survived (\(window.lost) acknowledged marker(s) lost, the heartbeat began \(Self.seconds(newestBefore.at - (stats.acknowledgedMarkers.first?.at ?? newestBefore.at))) before the disaster)" + walText
            return RPOMeasurement(mode: "heartbeat", seconds: window.seconds, bound: .lowerBound, summary: summary, detail: .object(detail))
        }
        let summary: String
        if let lost = window.newestLost {
            summary = "\(window.lost) acknowledged marker(s) lost, the newest #\(lost.seq); "
                + (window.before.map { "the newest surviving before the loss #\($0.seq)" } ?? "none before the loss survived") + walText
        } else {
            summary = "newest acknowledged marker #\(stats.newestAcknowledgedSeq ?? newestBefore.seq) survived; no acknowledged marker lost" + walText
        }
        return RPOMeasurement(mode: "heartbeat", seconds: window.seconds, summary: summary, detail: .object(detail))
    }

    /// The RPO in WAL terms: the old primary's last flushed LSN the heartbeat saw before the disaster, against the
    /// recovered server's LSN at promotion (`pg_last_wal_replay_lsn()`, which stays at the end of recovery once
    /// promoted; the current flushed LSN for a server that never was in recovery). Nil when the heartbeat saw no
    /// position before the disaster.
    func walLoss(stats: HeartbeatStats, disasterAt: Double, on connection: PGConnection) async -> WALLoss? {
        guard let seen = stats.flushedPositions.last(where: { $0.at < disasterAt }), let old = PGLSN(seen.lsn) else { return nil }
        var loss = WALLoss(oldPrimaryFlushed: old, seenAt: seen.at)
        do {
            let row = try await connection.query("""
                SELECT pg_last_wal_replay_lsn()::text, pg_current_wal_flush_lsn()::text, pg_is_in_recovery()::text
                """)
            guard row.rows.count == 1 else { return loss }
            if row.rows[0][2] == "t" {
                loss.problem = "the recovered server is still in recovery"
                return loss
            }
            let replayed = row.rows[0][0].flatMap(PGLSN.init)
            loss.promoted = replayed ?? row.rows[0][1].flatMap(PGLSN.init)
            loss.promotedSource = replayed != nil ? "pg_last_wal_replay_lsn() (end of recovery)" : "pg_current_wal_flush_lsn() (never in recovery)"
            if let expected = stats.systemIdentifier,
               let actual = try? await connection.scalar("SELECT system_identifier::text FROM pg_control_system()"), actual != expected {
                loss.problem = "the recovered server belongs to another database system (\(actual), the heartbeat's was \(expected))"
            }
        } catch {
            loss.problem = "cannot read the recovered server's WAL position: \(error)"
        }
        return loss
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

    static func seconds(_ s: Double) -> String {
        FixedPoint.format(s, 3) + "s"
    }

    static func iso(_ epoch: Double) -> String {
        JournalClock.rfc3339(microseconds: Int64(epoch * 1_000_000))
    }
}
