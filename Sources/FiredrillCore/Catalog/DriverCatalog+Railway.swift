extension DriverCatalog {
    public static let railwayAccess: [ParamSpec] = [
        ParamSpec("service", .string, required: true, "service name or id"),
        ParamSpec("environment", .string, "environment name or id"),
        ParamSpec("project", .string, "project id"),
    ]

    public static let railway: [DriverSpec] = [
        DriverSpec(
            "railway.restart", role: .step, "Restarts a Railway service's latest deployment.",
            timeout: "5m", params: railwayAccess, program: "railway"
        ),
        DriverSpec(
            "railway.redeploy", role: .step, "Redeploys a Railway service.",
            timeout: "10m", params: railwayAccess, program: "railway"
        ),
        DriverSpec(
            "railway.down", role: .step, "Removes a Railway service's latest deployment.",
            timeout: "5m", params: railwayAccess, program: "railway"
        ),
        DriverSpec(
            "railway.rollback", role: .step, "Rolls a service back to an earlier deployment through Railway's GraphQL API.",
            timeout: "5m",
            params: railwayAccess + [
                ParamSpec("deployment", .string, "the deployment id to roll back to (default: the previous successful one)"),
                ParamSpec("token-env", .string, default: "RAILWAY_API_TOKEN", "environment variable holding the API token"),
                ParamSpec("api-url", .url, default: "https://backboard.railway.com/graphql/v2", "GraphQL endpoint"),
            ]
        ),
    ]
}
