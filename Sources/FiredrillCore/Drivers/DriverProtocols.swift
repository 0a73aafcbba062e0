/// A probe driver: observes something and reports fields. It must honour Task cancellation promptly.
public protocol ProbeDriver: Sendable {
    func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation
    /// Called once when a guard or `recovered` watch that executed this probe ends, however it ends (the task
    /// may be cancelled): a probe that keeps something running between executions (a traffic stream) stops
    /// it here. The default does nothing.
    func release(_ params: PlanNode, context: DriverContext) async
}

extension ProbeDriver {
    public func release(_ params: PlanNode, context: DriverContext) async {}
}

/// A step driver: a fault or an action. A fault that can be undone records its undo through
/// `context.willApply(_:)` *before* it takes effect. It must honour Task cancellation promptly.
public protocol StepDriver: Sendable {
    func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome
}

/// Carries out an `UndoAction` recorded earlier, possibly by a runner that has since died.
public protocol UndoDriver: Sendable {
    func undo(_ params: JSONValue, context: DriverContext) async throws -> String
}

/// Looks drivers up by catalog key. The executable provides the concrete set; tests provide fakes.
public protocol DriverSet: Sendable {
    func probe(_ key: String) -> (any ProbeDriver)?
    func step(_ key: String) -> (any StepDriver)?
    func undo(_ key: String) -> (any UndoDriver)?
    /// The heartbeat writer for a `heartbeat:` kind (`postgres`); nil when this build has none.
    func heartbeat(_ kind: String) -> (any HeartbeatDriver)?
    /// The RPO meter; nil when this build has none.
    func rpoMeter() -> (any RPOMeter)?
}
