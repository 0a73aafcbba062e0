import FiredrillCore
import Foundation
import Synchronization

/// A step that records each call (step name and the instant it started) and can be told to fail.
public final class RecordingStep: StepDriver, Sendable {
    /// One recorded call.
    public struct Call: Sendable {
        public var step: String
        public var at: ContinuousClock.Instant
    }

    private let state = Mutex((calls: [Call](), failing: Set<String>()))

    public init() {}

    /// Steps with these names throw.
    public func fail(_ steps: Set<String>) { state.withLock { $0.failing = steps } }
    public var calls: [Call] { state.withLock { $0.calls } }
    public var names: [String] { calls.map(\.step) }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let failing = state.withLock { s -> Bool in
            s.calls.append(Call(step: context.name, at: .now))
            return s.failing.contains(context.name)
        }
        if failing { throw DriverError("recording", "\(context.name) was told to fail") }
        return StepOutcome(output: ["ok": true], summary: "recorded")
    }
}
