import FiredrillCore

extension BuiltinDrivers {
    /// Network and Redis faults and probes, with their undos.
    static let networkDrivers: [any RegisteredDriver] = [
        NetworkProxyDriver(),
        NetworkProxyStopUndo(),
        NetworkProxyClearUndo(),
        NetworkNetemDriver(),
        NetworkNetemUndo(),
        RedisProbeDriver(),
        RedisPauseClientsDriver(),
        RedisUnpauseUndo(),
    ]
}
