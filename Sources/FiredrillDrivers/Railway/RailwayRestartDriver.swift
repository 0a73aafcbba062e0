import FiredrillCore

/// `railway.restart`: `railway restart` for one service. Restarts the service's latest deployment without rebuilding it.
public struct RailwayRestartDriver: StepDriver, ProgramDriver {
    static let key = "railway.restart"

    public static let spec = DriverSpec(
        "railway.restart", role: .step, "Restarts a Railway service's latest deployment.",
        timeout: "5m", params: RailwayParams.access, program: "railway"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [try RailwayCLI.argv("restart", p, json: true, environment: environment)]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for the railway call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let result = try await RailwayCLI(key: Self.key, environment: environment).run("restart", p, json: true, context: context)
        return RailwayCLI.outcome(result, service: try p.string("service"), did: "restarted")
    }
}
