import FiredrillCore

/// `railway.redeploy`: `railway redeploy` for one service. Redeploys the service's latest deployment.
public struct RailwayRedeployDriver: StepDriver, ProgramDriver {
    static let key = "railway.redeploy"

    public static let spec = DriverSpec(
        "railway.redeploy", role: .step, "Redeploys a Railway service.",
        timeout: "10m", params: RailwayParams.access, program: "railway"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [try RailwayCLI.argv("redeploy", p, json: true, environment: environment)]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for the railway call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let result = try await RailwayCLI(key: Self.key, environment: environment).run("redeploy", p, json: true, context: context)
        return RailwayCLI.outcome(result, service: try p.string("service"), did: "redeployed")
    }
}
