import FiredrillCore

extension BuiltinDrivers {
    /// Network and Redis faults, each declaring its own catalog entry.
    static let network: [any StepDriver & DeclaredDriver] = [
        NetworkProxyDriver(),
        NetworkNetemDriver(),
        RedisPauseClientsDriver(),
    ]

    /// Network and Redis probes, each declaring its own catalog entry.
    static let networkProbes: [any ProbeDriver & DeclaredDriver] = [
        RedisProbeDriver(),
    ]

    static let networkProbesByKey: [String: any ProbeDriver] =
        Dictionary(uniqueKeysWithValues: networkProbes.map { (type(of: $0).spec.key, $0 as any ProbeDriver) })

    /// The undos of the network and Redis faults.
    static let networkUndos: [String: any UndoDriver] = [
        NetworkProxyStopUndo.key: NetworkProxyStopUndo(),
        NetworkProxyClearUndo.key: NetworkProxyClearUndo(),
        RedisUnpauseUndo.key: RedisUnpauseUndo(),
        NetworkNetemUndo.key: NetworkNetemUndo(),
    ]
}
