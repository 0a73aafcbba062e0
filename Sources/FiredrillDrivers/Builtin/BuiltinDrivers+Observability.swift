import FiredrillCore

extension BuiltinDrivers {
    /// Prometheus and traffic probes.
    static let observabilityProbes: [String: any ProbeDriver] = [:]
}
