import FiredrillCore

/// `railway.redeploy`: `railway redeploy` for one service. Redeploys the service's latest deployment.
public struct RailwayRedeployDriver: StepDriver {
    static let key = "railway.redeploy"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for the railway call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
        let result = try await RailwayCLI(key: Self.key, environment: environment).run("redeploy", p, json: true, context: context)
        return RailwayCLI.outcome(result, service: try p.string("service"), did: "redeployed")
    }
}
