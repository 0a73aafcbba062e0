import FiredrillCore

/// Maps catalog keys to the code that runs them.
enum DriverRegistry {
    /// The argv a driver would run, for `firedrill plan`.
    @Sendable static func describeArgv(_ key: String, _ params: PlanNode) -> [[String]]? {
        switch key {
        case "command":
            return params["run"]?.sequence.map { [$0.compactMap(\.scalar)] }
        default:
            return nil
        }
    }
}
