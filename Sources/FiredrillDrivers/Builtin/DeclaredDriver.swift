import FiredrillCore

/// A driver that declares itself next to its implementation: its catalog entry (parameters, defaults, rules,
/// default timeout, undo, output fields), the argv lists a dry run shows, and the targets `firedrill plan`
/// previews. `BuiltinDrivers` assembles the catalog from the drivers it registers.
public protocol DeclaredDriver: RegisteredDriver {
    /// The driver's catalog entry.
    static var spec: DriverSpec { get }

    /// The argv lists the driver would run, in order, exactly as it would run them; targets known only at run
    /// time read `<resolved at run time>`. Nil when it runs no program.
    static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]?

    /// What the step would pick or change, found with read-only calls only, for `firedrill plan`. Nil when it has
    /// nothing to look up.
    static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]?
}

extension DeclaredDriver {
    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? { nil }

    public static func previewTargets(_ p: DriverParams, environment: [String: String]) async throws -> [String]? { nil }

    /// The parameters of one call, read against this driver's own declaration.
    static func params(_ node: PlanNode) -> DriverParams {
        DriverParams(spec: spec, node: node)
    }
}

/// A declared driver that runs an external program (`kubectl`, `aws`, `railway`). `environment` is set on top of
/// the process environment for every call, so a test can put stand-in programs first on `PATH`.
public protocol ProgramDriver: DeclaredDriver {
    init(environment: [String: String])
}
