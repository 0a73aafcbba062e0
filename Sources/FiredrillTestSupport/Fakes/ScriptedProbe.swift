import FiredrillCore
import Synchronization

/// A probe whose verdict the test flips at will; counts its executions and remembers the roles it was released in.
public final class ScriptedProbe: ProbeDriver, Sendable {
    private let state = Mutex((passing: true, executions: 0, delay: Duration.zero))
    private let released = Mutex<[String]>([])

    public init(passing: Bool = true) {
        state.withLock { $0.passing = passing }
    }

    public func set(passing: Bool) { state.withLock { $0.passing = passing } }
    /// Makes each execution take this long (cancellable).
    public func set(delay: Duration) { state.withLock { $0.delay = delay } }
    public var executions: Int { state.withLock { $0.executions } }
    /// `role` of each `release` call, in order.
    public var releases: [String] { released.withLock { $0 } }

    public func release(_ params: PlanNode, context: DriverContext) async {
        released.withLock { $0.append(context.role) }
    }

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let (passing, delay) = state.withLock { s -> (Bool, Duration) in
            s.executions += 1
            return (s.passing, s.delay)
        }
        if delay > .zero { try await Task.sleep(for: delay) }
        return Observation(value: ["status": .number(passing ? 200 : 503)], summary: "status \(passing ? 200 : 503)", ok: passing)
    }
}
