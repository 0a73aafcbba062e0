import FiredrillCore

/// The toxics set on one direction of a proxy, and the share of connections they hit. All nil/false: no toxic.
struct ProxyToxics: Sendable, Equatable {
    /// Added delay of every chunk, in nanoseconds.
    var latency: UInt64 = 0
    /// The delay varies uniformly by up to this much either way, in nanoseconds.
    var jitter: UInt64 = 0
    /// Bytes per second at most.
    var bandwidth: Int64?
    /// A connection is reset once this many bytes went this way.
    var resetAfter: Int64?
    /// Hit connections are reset at this rate overall (per second).
    var resetRate: Double?
    /// Bytes are read and dropped, never forwarded.
    var blackhole = false
    /// New connections are refused: the listener closes (at 100%) or they are reset on accept.
    var refuse = false
    /// When one side closes, the close reaches the other side this much later, in nanoseconds.
    var slowClose: UInt64 = 0
    /// The share of connections hit, 0–100.
    var percent: Double = 100

    var isEmpty: Bool {
        latency == 0 && jitter == 0 && bandwidth == nil && resetAfter == nil && resetRate == nil && !blackhole && !refuse && slowClose == 0
    }

    /// Whether a connection that rolled `roll` (0–100) is hit.
    func hits(_ roll: Double) -> Bool { !isEmpty && roll < percent }

    /// The toxic parameters of `network.proxy`, as the catalog declares them.
    static let params: [ParamSpec] = [
        ParamSpec("direction", .enumeration(["both", "upstream", "downstream"]), default: "both", "which way the toxics act: `upstream` (client to server), `downstream` (server to client) or `both`"),
        ParamSpec("latency", .duration, "delay added to every chunk of data"),
        ParamSpec("jitter", .duration, "the delay varies uniformly by up to this much either way (with `latency`)"),
        ParamSpec("bandwidth", .byteSize, "at most this many bytes per second (e.g. `64KiB`)"),
        ParamSpec("reset-after", .byteSize, "reset a connection (TCP RST) once this many bytes went its way"),
        ParamSpec("reset-rate", .rate, "reset hit connections at this rate overall (e.g. `2/s`)"),
        ParamSpec("blackhole", .boolean, "accept and read, but never forward"),
        ParamSpec("refuse", .boolean, "refuse new connections: stop listening at 100%, reset that share of new connections otherwise"),
        ParamSpec("slow-close", .duration, "pass a close on only after this long"),
        ParamSpec("percent", .percentage, default: "100%", "the share of connections the toxics hit, chosen per connection"),
    ]

    static let names = params.map(\.name).filter { $0 != "direction" && $0 != "percent" }

    /// The toxics a call sets.
    static func read(_ p: DriverParams) throws -> ProxyToxics {
        var t = ProxyToxics()
        t.latency = try p.duration("latency").map(nanos) ?? 0
        t.jitter = try p.duration("jitter").map(nanos) ?? 0
        t.bandwidth = try size(p, "bandwidth")
        t.resetAfter = try size(p, "reset-after")
        t.resetRate = try p.rate("reset-rate")?.perSecond
        t.blackhole = try p.bool("blackhole")
        t.refuse = try p.bool("refuse")
        t.slowClose = try p.duration("slow-close").map(nanos) ?? 0
        t.percent = try p.percentage("percent")?.value ?? 100
        if let b = t.bandwidth, b < 1 { throw DriverError(p.key, "`bandwidth` must be at least 1B") }
        if t.jitter > t.latency { throw DriverError(p.key, "`jitter` (\(DurationSyntax.format(.nanoseconds(Int64(t.jitter))))) is larger than `latency`; a delay cannot be negative") }
        return t
    }

    static func size(_ p: DriverParams, _ name: String) throws -> Int64? {
        guard let text = p.text(name) else { return nil }
        do { return try ByteSize.parse(text).bytes } catch { throw DriverError(p.key, "`\(name)`: \(error.message) (got `\(text)`)") }
    }

    static func nanos(_ d: Duration) -> UInt64 {
        let (s, atto) = d.components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, atto) / 1_000_000_000)
    }

    /// The toxics in words: `latency 100ms ± 10ms, blackhole on 50% of connections`.
    var summary: String {
        var parts: [String] = []
        if latency > 0 { parts.append("latency \(Self.format(latency))" + (jitter > 0 ? " ± \(Self.format(jitter))" : "")) }
        if let bandwidth { parts.append("bandwidth \(bandwidth) B/s") }
        if let resetAfter { parts.append("reset after \(resetAfter) bytes") }
        if let resetRate { parts.append("resets at \(Rate(perSecond: resetRate))") }
        if blackhole { parts.append("blackhole") }
        if refuse { parts.append("refuse") }
        if slowClose > 0 { parts.append("slow close \(Self.format(slowClose))") }
        if parts.isEmpty { return "no toxic" }
        return parts.joined(separator: ", ") + (percent < 100 ? " on \(Percentage(value: percent)) of connections" : "")
    }

    /// The toxics as journal data.
    var json: JSONValue {
        var out: [String: JSONValue] = ["percent": .number(percent)]
        if latency > 0 { out["latency"] = .number(Double(latency) / 1e9) }
        if jitter > 0 { out["jitter"] = .number(Double(jitter) / 1e9) }
        if let bandwidth { out["bandwidth"] = .number(Double(bandwidth)) }
        if let resetAfter { out["reset-after"] = .number(Double(resetAfter)) }
        if let resetRate { out["reset-rate"] = .number(resetRate) }
        if blackhole { out["blackhole"] = .bool(true) }
        if refuse { out["refuse"] = .bool(true) }
        if slowClose > 0 { out["slow-close"] = .number(Double(slowClose) / 1e9) }
        return .object(out)
    }

    static func format(_ nanos: UInt64) -> String {
        DurationSyntax.format(.nanoseconds(Int64(nanos)))
    }
}
