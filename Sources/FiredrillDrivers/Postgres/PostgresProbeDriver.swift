import FiredrillCore
import Foundation

/// The `postgres` probe: one fresh connection per execution, then a scalar query, a built-in metric, or nothing
/// (connect only). Observes `value` (a boolean for a boolean column, a number when the text reads as one, NULL as
/// null), `latency` (seconds, connect included) and `connected`. Notices the query raised are added to the summary.
///
/// A connection that fails is an observation `connected: false` in connect-only mode, and an error otherwise, so the
/// server's message (`cannot execute INSERT in a read-only transaction`, `the database system is starting up`)
/// is what the journal shows.
public struct PostgresProbeDriver: ProbeDriver {
    public init() {}

    /// Replication lag in seconds. On a standby: 0 when everything received is replayed (a walreceiver that has
    /// received nothing new since it started reports the segment it started at, behind the replay position), else
    /// the age of the last replayed transaction. On a primary: the largest `replay_lag` of the connected standbys
    /// (0 when idle).
    static let replicationLagQuery = """
        SELECT CASE
          WHEN pg_is_in_recovery() THEN
            CASE WHEN pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() THEN 0
                 ELSE COALESCE(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0) END
          ELSE (SELECT COALESCE(max(extract(epoch FROM replay_lag)), 0) FROM pg_stat_replication)
        END::double precision
        """
    /// Whether there is anything to measure the lag of: a standby, or a primary with a connected standby.
    static let replicationPresentQuery = "SELECT pg_is_in_recovery() OR EXISTS (SELECT 1 FROM pg_stat_replication)"
    static let connectionsQuery = """
        SELECT (100.0 * (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')
                / current_setting('max_connections')::int)::double precision
        """

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = DriverParams(key: "postgres", node: params)
        let dsn = try p.string("dsn")
        let query = p.optionalString("query")
        let metric = p.optionalString("metric")
        let bind = p.list("params") ?? []
        let statementTimeout = try p.duration("statement-timeout")
        let shown = PGConnection.redacted(context.mask(dsn))
        let clock = ContinuousClock()
        let start = clock.now

        let connection: PGConnection
        do {
            connection = try await PGConnection.connect(dsn, timeout: context.timeout, statementTimeout: statementTimeout)
        } catch let error as PGError {
            let message = context.mask(error.description)
            if query == nil, metric == nil {
                return Observation(value: ["connected": false], summary: message, ok: false)
            }
            throw DriverError("postgres", message)
        }
        defer { Task { await connection.close() } }

        let value: String?
        let what: String
        var typed: PGScalar?
        do {
            switch (query, metric) {
            case (let query?, _):
                let scalar = try await connection.typedScalar(query, bind.map { Optional($0) })
                typed = scalar
                value = scalar.text
                what = "query"
            case (nil, "replication-lag"?):
                guard try await connection.scalar(Self.replicationPresentQuery) == "t" else {
                    throw DriverError("postgres", "\(shown) is a primary with no standby connected: there is no replication lag to measure")
                }
                value = try await connection.scalar(Self.replicationLagQuery)
                what = "replication lag"
            case (nil, "connections"?):
                value = try await connection.scalar(Self.connectionsQuery)
                what = "connections in use (%)"
            case (nil, let other?):
                throw DriverError("postgres", "unknown metric `\(other)`")
            case (nil, nil):
                let latency = (clock.now - start).seconds
                return Observation(value: ["connected": true, "latency": .number(latency)],
                                   summary: "connected to \(connection.target) in \(Self.milliseconds(latency))")
            }
        } catch let error as PGError {
            throw DriverError("postgres", context.mask(error.description))
        }
        let latency = (clock.now - start).seconds
        let observed = (typed ?? PGScalar(text: value, typeOID: 0)).json
        let notices = typed.map { $0.notices.isEmpty ? "" : " (server said: \($0.notices.joined(separator: "; ")))" } ?? ""
        return Observation(value: ["value": observed, "latency": .number(latency), "connected": true],
                           summary: "\(what) on \(connection.target): \(context.mask(value ?? "NULL")) in \(Self.milliseconds(latency))"
                               + context.mask(notices))
    }

    /// A decimal number as PostgreSQL prints one (`42`, `-1.5`, `1e-05`); nil for anything else (hex, `NaN`, text).
    static func number(_ text: String) -> Double? {
        guard let first = text.unicodeScalars.first, first == "-" || first == "." || ("0"..."9").contains(first),
              !text.contains("x"), !text.contains("X"), let value = Double(text), value.isFinite else { return nil }
        return value
    }

    static func milliseconds(_ seconds: Double) -> String {
        "\(Int((seconds * 1000).rounded()))ms"
    }
}
