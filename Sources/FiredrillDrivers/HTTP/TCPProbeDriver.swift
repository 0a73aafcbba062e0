import FiredrillCore

/// The `tcp` probe: connect and close. Observes `connected` and `latency` (seconds).
public struct TCPProbeDriver: ProbeDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "tcp", role: .probe, "Opens a TCP connection and closes it.",
        timeout: "5s",
        params: [
            ParamSpec("host", .string, required: true, "host name or address"),
            ParamSpec("port", .integer(min: 1, max: 65535), required: true, "TCP port"),
        ],
        fields: [
            ProbeField("connected", .boolean, "whether the connection was accepted"),
            ProbeField("latency", .duration, "time to connect"),
        ]
    )

    public init() {}

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = Self.params(params)
        let host = try p.string("host")
        guard let port = try p.int("port") else { throw DriverError(Self.spec.key, "`port` is required") }
        do {
            let elapsed = try await TCPConnector.connect(host: host, port: port, timeout: context.timeout)
            let ms = Int((elapsed.seconds * 1000).rounded())
            return Observation(value: ["connected": true, "latency": .number(elapsed.seconds)], summary: "connected to \(host):\(port) in \(ms)ms")
        } catch {
            return Observation(value: ["connected": false], summary: error.description, ok: false)
        }
    }
}
