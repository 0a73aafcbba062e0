import FiredrillCore

/// `railway.down`: `railway down` for one service. Removes the service's most recent successful deployment.
public struct RailwayDownDriver: StepDriver {
    static let key = "railway.down"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for the railway call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
        let result = try await RailwayCLI(key: Self.key, environment: environment).run("down", p, json: false, context: context)
        return RailwayCLI.outcome(result, service: try p.string("service"), did: "removed the latest deployment of")
    }
}
