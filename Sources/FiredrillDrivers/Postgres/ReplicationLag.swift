import FiredrillCore

/// `metric: replication-lag`, read on either side of a stream.
///
/// On a primary, each row of `pg_stat_replication`: its state, the age of its last reply (`now() − reply_time`;
/// `reply_time` is stamped by the standby's clock), how many bytes of WAL it is behind the primary's flushed
/// position in what it was sent, has flushed and has replayed, and the time lags the server measured. A standby
/// that has not replied yet is silent since its connection started (`backend_start`). A standby's lag is 0 when
/// it has replayed everything the primary flushed (its time lags then describe WAL already applied, and an idle
/// primary sends nothing new), else the largest time lag present; a standby that has not
/// confirmed all flushed WAL and has been silent longer than `silent-after` counts as lagging by at least its
/// silence, because a healthy standby confirms WAL as soon as it has flushed it, so nothing written since its last
/// reply is known to have reached it. A primary with no standby connected is an error, not 0.
///
/// On a standby: 0 when everything received has been replayed (an idle primary sends nothing new, so there is
/// nothing to lag behind), else the age of the last replayed transaction; bytes are received − replayed. A standby
/// with no walreceiver is not streaming from anything: an error, not 0.
struct ReplicationLag: Sendable {
    /// One standby as a primary sees it.
    struct Standby: Sendable {
        var name: String
        var state: String
        var replyAge: Double?
        var sentBytes: Int64?
        var flushBytes: Int64?
        var replayBytes: Int64?
        var timeLag: Double
        var silent: Bool
        var lag: Double
    }

    var role: String
    var seconds: Double
    var bytes: Int64
    var standbys: [Standby]
    var note: String?

    static let primaryQuery = """
        SELECT coalesce(nullif(application_name, ''), 'pid ' || pid), coalesce(state, 'unknown'),
               extract(epoch FROM now() - coalesce(reply_time, backend_start))::double precision,
               pg_wal_lsn_diff(pg_current_wal_flush_lsn(), sent_lsn)::bigint,
               pg_wal_lsn_diff(pg_current_wal_flush_lsn(), flush_lsn)::bigint,
               pg_wal_lsn_diff(pg_current_wal_flush_lsn(), replay_lsn)::bigint,
               greatest(extract(epoch FROM write_lag), extract(epoch FROM flush_lag), extract(epoch FROM replay_lag))::double precision
        FROM pg_stat_replication ORDER BY pid
        """
    static let standbyQuery = """
        SELECT pg_wal_lsn_diff(pg_last_wal_receive_lsn(), pg_last_wal_replay_lsn())::bigint,
               extract(epoch FROM now() - pg_last_xact_replay_timestamp())::double precision,
               EXISTS (SELECT 1 FROM pg_stat_wal_receiver)
        """

    static func read(_ connection: PGConnection, silentAfter: Duration, shown: String) async throws -> ReplicationLag {
        if try await connection.scalar("SELECT pg_is_in_recovery()") == "t" {
            let row = try await connection.query(standbyQuery)
            guard let values = row.rows.first else { throw DriverError("postgres", "\(shown) returned no replication status") }
            guard values[2] == "t" else {
                throw DriverError("postgres", "\(shown) is a standby with no walreceiver: it is not streaming from a primary, so its lag cannot be measured")
            }
            let bytes = values[0].flatMap { Int64($0) } ?? 0
            let seconds = bytes > 0 ? max(0, values[1].flatMap(Double.init) ?? 0) : 0
            return ReplicationLag(role: "standby", seconds: seconds, bytes: bytes, standbys: [],
                                  note: bytes > 0 ? "age of the last replayed transaction" : "everything received is replayed")
        }
        let rows = try await connection.query(primaryQuery).rows
        guard !rows.isEmpty else {
            throw DriverError("postgres", "\(shown) is a primary with no standby connected: there is no replication, which is not a lag of 0")
        }
        let standbys = rows.map { Self.standby($0, silentAfter: silentAfter.seconds) }
        return ReplicationLag(role: "primary", seconds: standbys.map(\.lag).max() ?? 0,
                              bytes: standbys.map { $0.replayBytes ?? $0.flushBytes ?? 0 }.max() ?? 0, standbys: standbys, note: nil)
    }

    /// A row of `primaryQuery`.
    static func standby(_ row: [String?], silentAfter: Double) -> Standby {
        let replyAge = row[2].flatMap(Double.init)
        let flushBytes = row[4].flatMap { Int64($0) }
        let timeLag = max(0, row[6].flatMap(Double.init) ?? 0)
        let state = row[1] ?? "unknown"
        // A standby that never replied has confirmed nothing.
        let unconfirmed = (flushBytes ?? 1) > 0
        let silent = unconfirmed && (replyAge.map { $0 > silentAfter } ?? true)
        // Everything flushed on the primary is replayed there: the server's time lags describe WAL already applied.
        let caughtUp = flushBytes == 0 && row[5].flatMap { Int64($0) } == 0
        let lag = caughtUp ? 0 : max(timeLag, silent ? max(replyAge ?? silentAfter, silentAfter) : 0)
        return Standby(name: row[0] ?? "?", state: state, replyAge: replyAge, sentBytes: row[3].flatMap { Int64($0) },
                       flushBytes: flushBytes, replayBytes: row[5].flatMap { Int64($0) }, timeLag: timeLag, silent: silent, lag: lag)
    }

    var json: [String: JSONValue] {
        var out: [String: JSONValue] = [
            "value": .number(seconds), "lag-seconds": .number(seconds), "lag-bytes": .number(Double(bytes)),
            "role": .string(role), "standbys": .number(Double(standbys.count)),
        ]
        if role == "primary" {
            out["per-standby"] = .array(standbys.map { s in
                [
                    "name": .string(s.name), "state": .string(s.state), "reply-age": s.replyAge.map { .number($0) } ?? .null,
                    "sent-bytes-behind": s.sentBytes.map { .number(Double($0)) } ?? .null,
                    "flush-bytes-behind": s.flushBytes.map { .number(Double($0)) } ?? .null,
                    "replay-bytes-behind": s.replayBytes.map { .number(Double($0)) } ?? .null,
                    "time-lag": .number(s.timeLag), "silent": .bool(s.silent), "lag-seconds": .number(s.lag),
                ]
            })
        }
        if let note { out["note"] = .string(note) }
        return out
    }

    var summary: String {
        let head = "\(FixedPoint.format(seconds, 3))s, \(bytes) bytes"
        if role == "standby" { return "\(head) (standby: \(note ?? ""))" }
        let silent = standbys.filter(\.silent)
        return "\(head) over \(standbys.count) standby(s)"
            + (silent.isEmpty ? "" : "; silent: " + silent.map { "\($0.name) for \(FixedPoint.format($0.replyAge ?? 0, 1))s" }.joined(separator: ", "))
    }
}
