import FiredrillCore

extension BuiltinDrivers {
    /// The probes, and `command` (a probe and a step) with the undo that ends a command's process group.
    static let probeDrivers: [any RegisteredDriver] = [
        HTTPProbeDriver(),
        TCPProbeDriver(),
        PostgresProbeDriver(),
        CommandDriver(),
        ProcessGroupEndUndo(),
        PrometheusProbeDriver(),
        TrafficProbeDriver(),
    ]

    /// The local process faults, `process.start`, and their undos.
    static let processDrivers: [any RegisteredDriver] = [
        ProcessKillDriver(),
        ProcessPauseDriver(),
        ProcessRestartDriver(),
        ProcessResumeUndo(),
        ProcessStartDriver(),
        ProcessStopUndo(),
    ]

    /// The floods and their shared undo.
    static let floodDrivers: [any RegisteredDriver] = [
        TCPFloodDriver(),
        HTTPFloodDriver(),
        PostgresFloodDriver(),
        FloodReleaseUndo(),
    ]
}
