import FiredrillCore
import Foundation

/// The `postgres` probe: one fresh connection per execution, then a scalar query, a built-in metric, or nothing
/// (connect only). Observes `value` (a boolean for a boolean column, a number when the text reads as one, NULL as
/// null), `latency` (seconds, connect included) and `connected`; `metric: replication-lag` also `lag-seconds`,
/// `lag-bytes` and `standbys` (see `ReplicationLag`). Notices the query raised are added to the summary.
///
/// A connection that fails is an observation `connected: false` in connect-only mode, and an error otherwise, so the
/// server's message (`cannot execute INSERT in a read-only transaction`, `the database system is starting up`)
/// is what the journal shows.
public struct PostgresProbeDriver: ProbeDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "postgres", role: .probe, "A PostgreSQL check through libpq: connect only, a scalar query, or a built-in metric.",
        timeout: "10s",
        params: [
            ParamSpec("dsn", .dsn, required: true, "connection URI or conninfo (service files, .pgpass and sslmode work as with psql)"),
            ParamSpec("query", .string, "a query returning one value; without it the probe only connects"),
            ParamSpec("params", .stringList, "bind parameters $1, $2… for the query"),
            ParamSpec("metric", .enumeration(["replication-lag", "connections"]), "a built-in: replication lag (value = lag-seconds; also lag-bytes and standbys), or connections in use as a percentage of max_connections"),
            ParamSpec("silent-after", .duration, default: "1s", "replication-lag on a primary: a standby that has not confirmed flushed WAL and has not replied for longer than this counts as lagging by at least its silence"),
            ParamSpec("statement-timeout", .duration, "server-side statement timeout"),
            ProbeUnitParam.spec,
        ],
        rules: [.atMostOne(["query", "metric"]), .atMostOne(["unit", "metric"])],
        fields: [
            ProbeField("value", .dynamic, "the query's single value (booleans as booleans, numbers as numbers, NULL as null); with `metric`, the lag as a duration or connections as a percent",
                       kindByParam: ["metric": ["replication-lag": .duration, "connections": .percent]]),
            ProbeField("latency", .duration, "connect and query"),
            ProbeField("connected", .boolean, "whether the connection succeeded"),
            ProbeField("lag-seconds", .duration, "`metric: replication-lag`: how far the most lagging standby is behind"),
            ProbeField("lag-bytes", .bytes, "`metric: replication-lag`: WAL not yet replayed by the most lagging standby"),
            ProbeField("standbys", .count, "`metric: replication-lag`: standbys connected to a primary"),
        ]
    )

    public init() {}

    static let connectionsQuery = """
        SELECT (100.0 * (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')
                / current_setting('max_connections')::int)::double precision
        """

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = Self.params(params)
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
            throw DriverError(Self.spec.key, message)
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
                let lag = try await ReplicationLag.read(connection, silentAfter: try p.duration("silent-after") ?? .seconds(1), shown: shown)
                let latency = (clock.now - start).seconds
                var observed = lag.json
                observed["latency"] = .number(latency)
                observed["connected"] = true
                return Observation(value: .object(observed), summary: "replication lag on \(connection.target): \(lag.summary) in \(Self.milliseconds(latency))")
            case (nil, "connections"?):
                value = try await connection.scalar(Self.connectionsQuery)
                what = "connections in use (%)"
            case (nil, let other?):
                throw DriverError(Self.spec.key, "unknown metric `\(other)`")
            case (nil, nil):
                let latency = (clock.now - start).seconds
                return Observation(value: ["connected": true, "latency": .number(latency)],
                                   summary: "connected to \(connection.target) in \(Self.milliseconds(latency))")
            }
        } catch let error as PGError {
            throw DriverError(Self.spec.key, context.mask(error.description))
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
