import FiredrillCore
import Foundation

/// `railway.rollback`: rolls a service back through Railway's GraphQL API (`deploymentRollback(id:)`).
///
/// Without `deployment`, the target is found with the `deployments` query for the service and environment:
/// the newest deployment older than the active (`SUCCESS`) one that Railway says can be rolled back to.
/// `service` and `environment` may be ids, or names when the project is known (`project` or
/// `RAILWAY_PROJECT_ID`). The token comes from the variable named by `token-env` and is never shown.
public struct RailwayRollbackDriver: StepDriver, ProgramDriver {
    static let key = "railway.rollback"

    public static let spec = DriverSpec(
        "railway.rollback", role: .step, "Rolls a service back to an earlier deployment through Railway's GraphQL API.",
        timeout: "5m",
        params: RailwayParams.access + [
            ParamSpec("deployment", .string, "the deployment id to roll back to (default: the previous successful one)"),
            ParamSpec("token-env", .string, default: "RAILWAY_API_TOKEN", "environment variable holding the API token"),
            ParamSpec("api-url", .url, default: "https://backboard.railway.com/graphql/v2", "GraphQL endpoint"),
        ]
    )
    let environment: [String: String]

    /// - Parameter environment: variables consulted before the process environment (the token, the project id).
    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    static let projectQuery = """
        query project($id: String!) { project(id: $id) { services { edges { node { id name } } } \
        environments { edges { node { id name } } } } }
        """
    static let deploymentsQuery = """
        query deployments($input: DeploymentListInput!, $first: Int) { deployments(input: $input, first: $first) \
        { edges { node { id status createdAt canRollback } } } }
        """
    static let rollbackMutation = "mutation deploymentRollback($id: String!) { deploymentRollback(id: $id) }"

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let tokenVariable = p.text("token-env") ?? "RAILWAY_API_TOKEN"
        guard let token = RailwayCLI.variable(tokenVariable, environment: environment) else {
            throw DriverError(Self.key, "the API token variable \(tokenVariable) is not set")
        }
        let api = RailwayGraphQL(key: Self.key, url: p.text("api-url") ?? "https://backboard.railway.com/graphql/v2",
                                 token: token, secrets: context.secrets, timeout: min(context.timeout, .seconds(60)))
        let service = try p.string("service")
        let target: String
        var current: String?
        if let given = p.optionalString("deployment") {
            target = given
        } else {
            (current, target) = try await findPrevious(p, api: api)
        }
        await context.record(.targetsResolved, ["service": .string(service), "current": current.map { .string($0) } ?? .null,
                                                  "rollback-to": .string(target)])
        let data = try await api.send(Self.rollbackMutation, variables: ["id": .string(target)])
        guard data["deploymentRollback"] != .bool(false) else {
            throw DriverError(Self.key, "Railway refused to roll \(service) back to deployment \(target)")
        }
        return StepOutcome(output: ["service": .string(service), "previous": current.map { .string($0) } ?? .null, "deployment": .string(target)],
                           summary: "rolled \(service) back to deployment \(target)" + (current.map { " (was \($0))" } ?? ""))
    }

    /// The active deployment and the one to roll back to.
    func findPrevious(_ p: DriverParams, api: RailwayGraphQL) async throws -> (current: String?, target: String) {
        let project = p.optionalString("project") ?? RailwayCLI.variable("RAILWAY_PROJECT_ID", environment: environment)
        guard let environmentRef = p.optionalString("environment") else {
            throw DriverError(Self.key, "`environment` is needed to find the previous deployment (or give `deployment`)")
        }
        var serviceID = try p.string("service")
        var environmentID = environmentRef
        if !Self.isID(serviceID) || !Self.isID(environmentID) {
            guard let project else {
                throw DriverError(Self.key, "`service` and `environment` must be ids unless `project` (or RAILWAY_PROJECT_ID) is given")
            }
            let data = try await api.send(Self.projectQuery, variables: ["id": .string(project)])
            serviceID = try Self.lookUp(serviceID, in: data["project"]?["services"], what: "service")
            environmentID = try Self.lookUp(environmentID, in: data["project"]?["environments"], what: "environment")
        }
        var input: [String: JSONValue] = ["serviceId": .string(serviceID), "environmentId": .string(environmentID)]
        if let project, Self.isID(project) { input["projectId"] = .string(project) }
        let data = try await api.send(Self.deploymentsQuery, variables: ["input": .object(input), "first": 20])
        let deployments = (data["deployments"]?["edges"]?.arrayValue ?? []).compactMap { $0["node"] }
            .sorted { Self.created($0) > Self.created($1) }
        guard let activeIndex = deployments.firstIndex(where: { $0["status"]?.stringValue == "SUCCESS" }) else {
            throw DriverError(Self.key, "no active (SUCCESS) deployment found for the service; give `deployment` to choose one")
        }
        let current = deployments[activeIndex]["id"]?.stringValue
        let older = deployments[(activeIndex + 1)...]
        guard let previous = older.first(where: Self.canRollBack), let id = previous["id"]?.stringValue else {
            let seen = older.map { "\($0["id"]?.stringValue ?? "?") \($0["status"]?.stringValue ?? "?")" }.joined(separator: ", ")
            throw DriverError(Self.key, "no earlier deployment can be rolled back to" + (seen.isEmpty ? "" : " (older: \(seen))"))
        }
        return (current, id)
    }

    static func canRollBack(_ deployment: JSONValue) -> Bool {
        if let flag = deployment["canRollback"]?.boolValue { return flag }
        return ["SUCCESS", "REMOVED", "SLEEPING"].contains(deployment["status"]?.stringValue ?? "")
    }

    static func created(_ deployment: JSONValue) -> Double {
        deployment["createdAt"]?.stringValue.flatMap(CloudCommand.parseTimestamp) ?? 0
    }

    /// Railway ids are UUIDs.
    static func isID(_ text: String) -> Bool {
        UUID(uuidString: text) != nil
    }

    /// The id of the node named (or with id) `reference` in a `{ edges { node { id name } } }` connection.
    static func lookUp(_ reference: String, in connection: JSONValue?, what: String) throws -> String {
        let nodes = (connection?["edges"]?.arrayValue ?? []).compactMap { $0["node"] }
        if let node = nodes.first(where: { $0["id"]?.stringValue == reference || $0["name"]?.stringValue?.lowercased() == reference.lowercased() }),
           let id = node["id"]?.stringValue {
            return id
        }
        let known = nodes.compactMap { $0["name"]?.stringValue }.joined(separator: ", ")
        throw DriverError(key, "no \(what) `\(reference)` in the project" + (known.isEmpty ? "" : " (there are: \(known))"))
    }
}
