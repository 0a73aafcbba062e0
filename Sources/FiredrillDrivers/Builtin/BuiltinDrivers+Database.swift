import FiredrillCore

extension BuiltinDrivers {
    /// PostgreSQL, Prometheus and traffic probes.
    static let databaseProbes: [String: any ProbeDriver] = [
        "postgres": PostgresProbeDriver(),
        "traffic": TrafficProbeDriver(),
        "prometheus": PrometheusProbeDriver(),
    ]
    /// `flood.postgres`.
    static let databaseSteps: [String: any StepDriver] = [
        "flood.postgres": PostgresFloodDriver(),
    ]
    static let databaseUndos: [String: any UndoDriver] = [:]
}
