import FiredrillCore

/// `railway.restart`: `railway restart` for one service. Restarts the service's latest deployment without rebuilding it.
public struct RailwayRestartDriver: StepDriver {
    static let key = "railway.restart"
    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for the railway call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = DriverParams(key: Self.key, node: params)
        let result = try await RailwayCLI(key: Self.key, environment: environment).run("restart", p, json: true, context: context)
        return RailwayCLI.outcome(result, service: try p.string("service"), did: "restarted")
    }
}
