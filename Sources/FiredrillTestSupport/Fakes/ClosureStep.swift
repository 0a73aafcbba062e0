import FiredrillCore

/// A step whose behaviour is a closure of the test's, given the step name.
public struct ClosureStep: StepDriver {
    let body: @Sendable (String) async throws -> Void

    public init(_ body: @escaping @Sendable (String) async throws -> Void) {
        self.body = body
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        try await body(context.name)
        return StepOutcome(summary: "ran")
    }
}
