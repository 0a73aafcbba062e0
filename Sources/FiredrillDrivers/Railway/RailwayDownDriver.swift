import FiredrillCore

/// `railway.down`: `railway down` for one service. Removes the service's most recent successful deployment.
public struct RailwayDownDriver: StepDriver, ProgramDriver {
    static let key = "railway.down"

    public static let spec = DriverSpec(
        "railway.down", role: .step, "Removes a Railway service's latest deployment.",
        timeout: "5m", params: RailwayParams.access, program: "railway"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        [try RailwayCLI.argv("down", p, json: false, environment: environment)]
    }

    let environment: [String: String]

    /// - Parameter environment: variables set on top of the process environment for the railway call.
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let result = try await RailwayCLI(key: Self.key, environment: environment).run("down", p, json: false, context: context)
        return RailwayCLI.outcome(result, service: try p.string("service"), did: "removed the latest deployment of")
    }
}
