import FiredrillCore

/// `redis`: a native Redis check over RESP (no redis-cli): `PING`, then `INFO replication` and `INFO memory`.
/// Its fields are the guides' health check (`ping`), the role and link of a replica, the replicas of a primary
/// and how far behind they are in bytes, and memory used against `maxmemory`.
public struct RedisProbeDriver: ProbeDriver, DeclaredDriver {
    static let key = "redis"

    public static let spec = DriverSpec(
        "redis", role: .probe, "A Redis check over RESP: PING, replication state and lag, memory against maxmemory.",
        timeout: "10s",
        params: RedisParams.access + [
            ParamSpec("primary", .string, "on a replica: the primary's `host:port`, so `lag-bytes` compares the replica's offset with the primary's (same credentials and TLS settings)"),
        ],
        fields: [
            ProbeField("connected", .boolean, "whether the connection (and AUTH) succeeded"),
            ProbeField("ping", .boolean, "whether `PING` answered `PONG`"),
            ProbeField("tls", .string, "with `tls`: the protocol and cipher agreed (`TLSv1.3 TLS_AES_256_GCM_SHA384`), ending in `, certificate NOT verified` with `insecure-skip-verify`; null over plain TCP"),
            ProbeField("latency", .duration, "the `PING` round trip"),
            ProbeField("role", .string, "`master` or `slave`, as `INFO replication` says"),
            ProbeField("master-link-status", .string, "on a replica: `up` or `down`; null on a primary"),
            ProbeField("connected-slaves", .count, "replicas connected to a primary"),
            ProbeField("lag-bytes", .bytes, "on a primary: its offset minus the most lagging replica's; on a replica with `primary`: the primary's offset minus this replica's; null otherwise"),
            ProbeField("used-memory", .bytes, "`used_memory`"),
            ProbeField("maxmemory", .bytes, "`maxmemory` (0: no limit)"),
            ProbeField("memory-percent", .percent, "`used_memory` as a share of `maxmemory`; null without a limit"),
        ]
    )

    public init() {}

    struct Reading: Sendable {
        var pong = false
        var latency = 0.0
        var info = RedisInfo("")
        var primaryOffset: Int64?
        var negotiated: String?
    }

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = Self.params(params)
        let target = try RedisParams.target(p)
        let shown = target.shown
        let primary = try p.optionalString("primary").map { text -> (String, Int) in
            guard let at = ProxySocket.split(text), at.port > 0 else { throw DriverError(Self.key, "`primary` must be host:port, got `\(text)`") }
            return at
        }
        // A little under the probe's own timeout, so a stalled connect, handshake or read is reported in the
        // driver's words (`is the server speaking TLS on this port?`) rather than as a bare probe timeout.
        let budget = context.timeout.seconds * 1000
        let ms = Int32(max(100, min(budget - min(1000, budget / 10), 600_000)))
        let reading: Reading
        do {
            reading = try await RedisThread.run { () throws(RedisError) in
                let connection = try RedisConnection(target, timeoutMs: ms)
                var r = Reading()
                r.negotiated = connection.negotiated
                let start = ProxySocket.now()
                let pong = try connection.command(["PING"])
                r.latency = Double(ProxySocket.now() - start) / 1e9
                r.pong = pong.text == "PONG"
                let replication = try connection.expect(["INFO", "replication"]).text ?? ""
                let memory = try connection.expect(["INFO", "memory"]).text ?? ""
                r.info = RedisInfo(replication + "\n" + memory)
                if let (host, port) = primary {
                    let upstream = try RedisConnection(target.at(host: host, port: port), timeoutMs: ms)
                    r.primaryOffset = RedisInfo(try upstream.expect(["INFO", "replication"]).text ?? "").int("master_repl_offset")
                }
                return r
            }
        } catch {
            let message = context.mask(error.description)
            if error.kind == .connect || error.kind == .auth {
                return Observation(value: ["connected": false, "ping": false], summary: message, ok: false)
            }
            return Observation(value: ["connected": true, "ping": false], summary: message, ok: false)
        }
        let info = reading.info
        let role = info["role"]
        var lag: Int64?
        if role == "master" {
            let offsets = info.replicaOffsets
            if let own = info.int("master_repl_offset"), let least = offsets.min() { lag = max(0, own - least) }
        } else if let primaryOffset = reading.primaryOffset, let own = info.int("slave_repl_offset") ?? info.int("master_repl_offset") {
            lag = max(0, primaryOffset - own)
        }
        let used = info.int("used_memory")
        let max = info.int("maxmemory")
        let percent: Double? = (used != nil && (max ?? 0) > 0) ? Double(used!) / Double(max!) * 100 : nil
        func number(_ v: Int64?) -> JSONValue { v.map { .number(Double($0)) } ?? .null }
        let value: JSONValue = [
            "connected": true, "ping": .bool(reading.pong), "latency": .number(reading.latency),
            "tls": reading.negotiated.map { .string(target.tls?.insecureSkipVerify == true ? "\($0), certificate NOT verified" : $0) } ?? .null,
            "role": role.map(JSONValue.string) ?? .null,
            "master-link-status": info["master_link_status"].map(JSONValue.string) ?? .null,
            "connected-slaves": number(info.int("connected_slaves")),
            "lag-bytes": number(lag), "used-memory": number(used), "maxmemory": number(max),
            "memory-percent": percent.map(JSONValue.number) ?? .null,
        ]
        var summary = "\(shown): " + (reading.pong ? "PONG" : "no PONG") + " in \(Int((reading.latency * 1000).rounded()))ms"
        if let role { summary += ", \(role)" }
        if let link = info["master_link_status"] { summary += ", link \(link)" }
        if let lag { summary += ", \(lag) bytes behind" }
        return Observation(value: value, summary: summary, ok: reading.pong)
    }
}
