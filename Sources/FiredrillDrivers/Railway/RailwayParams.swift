import FiredrillCore

/// Parameters shared by the Railway drivers.
enum RailwayParams {
    static let access: [ParamSpec] = [
        ParamSpec("service", .string, required: true, "service name or id"),
        ParamSpec("environment", .string, "environment name or id"),
        ParamSpec("project", .string, "project id"),
    ]
}
