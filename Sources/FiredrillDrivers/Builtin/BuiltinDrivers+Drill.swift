import FiredrillCore

extension BuiltinDrivers {
    /// Heartbeat writers by `heartbeat:` kind.
    public static let heartbeats: [String: any HeartbeatDriver] = ["postgres": PostgresHeartbeat()]
    public static let rpoMeter: any RPOMeter = RPOMeterDriver()
}
