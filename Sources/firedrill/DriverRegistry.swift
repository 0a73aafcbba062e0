import FiredrillCore
import FiredrillDrivers

/// The drivers of this build, by catalog key.
struct DriverRegistry: DriverSet {
    func probe(_ key: String) -> (any ProbeDriver)? { BuiltinDrivers.probes[key] }
    func step(_ key: String) -> (any StepDriver)? { BuiltinDrivers.steps[key] }
    func undo(_ key: String) -> (any UndoDriver)? { BuiltinDrivers.undos[key] }
    func heartbeat(_ kind: String) -> (any HeartbeatDriver)? { BuiltinDrivers.heartbeats[kind] }
    func rpoMeter() -> (any RPOMeter)? { BuiltinDrivers.rpoMeter }

    /// The argv a driver would run, for `firedrill plan`.
    @Sendable static func describeArgv(_ key: String, _ params: PlanNode) -> [[String]]? {
        BuiltinDrivers.describeArgv(key, params)
    }
}
