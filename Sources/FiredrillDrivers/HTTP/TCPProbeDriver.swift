import FiredrillCore

/// The `tcp` probe: connect and close. Observes `connected` and `latency` (seconds).
public struct TCPProbeDriver: ProbeDriver {
    public init() {}

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = DriverParams(key: "tcp", node: params)
        let host = try p.string("host")
        guard let port = try p.int("port") else { throw DriverError("tcp", "`port` is required") }
        do {
            let elapsed = try await TCPConnector.connect(host: host, port: port, timeout: context.timeout)
            let ms = Int((elapsed.seconds * 1000).rounded())
            return Observation(value: ["connected": true, "latency": .number(elapsed.seconds)], summary: "connected to \(host):\(port) in \(ms)ms")
        } catch {
            return Observation(value: ["connected": false], summary: error.description, ok: false)
        }
    }
}
