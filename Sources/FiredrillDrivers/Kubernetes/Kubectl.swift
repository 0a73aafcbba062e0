import FiredrillCore
import Foundation

/// Builds and runs `kubectl` command lines for the Kubernetes drivers, through the one `CommandRunner`.
///
/// User-given values travel as `--flag=value`, so a value that starts with `-` can never be read as another flag,
/// and every name reaches kubectl as exactly one argument. A failure throws a `DriverError` that carries the masked
/// command line, the exit status and the tail of standard error.
struct Kubectl: Sendable {
    /// The driver key failures are reported under.
    let key: String
    /// Variables set on top of the runner's environment (tests point `PATH` at a stand-in kubectl).
    let environment: [String: String]

    /// The placeholder shown by `firedrill plan` where targets are only known at run time.
    static let resolvedAtRunTime = "<resolved at run time>"

    /// `--namespace=…` (when `namespaced`), `--context=…` and `--kubeconfig=…`, each only when given.
    static func access(_ p: DriverParams, namespaced: Bool = true) -> [String] {
        var flags: [String] = []
        if namespaced, let ns = p.optionalString("namespace") { flags.append("--namespace=\(ns)") }
        if let context = p.optionalString("context") { flags.append("--context=\(context)") }
        if let kubeconfig = p.optionalString("kubeconfig") { flags.append("--kubeconfig=\(kubeconfig)") }
        return flags
    }

    /// The same flags, from an undo's recorded parameters.
    static func access(_ params: JSONValue, namespaced: Bool = true) -> [String] {
        var flags: [String] = []
        if namespaced, let ns = params["namespace"]?.stringValue, !ns.isEmpty { flags.append("--namespace=\(ns)") }
        if let context = params["context"]?.stringValue, !context.isEmpty { flags.append("--context=\(context)") }
        if let kubeconfig = params["kubeconfig"]?.stringValue, !kubeconfig.isEmpty { flags.append("--kubeconfig=\(kubeconfig)") }
        return flags
    }

    /// The access parameters as journal data, for an undo that must reach the same cluster later.
    static func accessJSON(_ p: DriverParams, namespaced: Bool = true) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        if namespaced, let ns = p.optionalString("namespace") { out["namespace"] = .string(ns) }
        if let context = p.optionalString("context") { out["context"] = .string(context) }
        if let kubeconfig = p.optionalString("kubeconfig") { out["kubeconfig"] = .string(kubeconfig) }
        return out
    }

    /// `kubectl` + `args`, run within `timeout` (the step's own, unless given); throws unless it exits 0.
    @discardableResult
    func run(_ args: [String], context: DriverContext, timeout: Duration? = nil) async throws -> CommandResult {
        try await CloudCommand.run(["kubectl"] + args, key: key, environment: environment,
                                   timeout: timeout ?? context.timeout, secrets: context.secrets)
    }

    /// Runs a read command whose standard output is JSON, and parses it.
    func json(_ args: [String], context: DriverContext) async throws -> JSONValue {
        let result = try await run(args, context: context)
        return try CloudCommand.parseJSON(result, key: key)
    }

    /// Object names for the end of a command line: each checked with `checkName`, after `--`, so that a name an
    /// API returned (a pod called `--all`) is refused, and could never be read as a flag anyway. The dry run's
    /// placeholder passes as is.
    static func operands(_ names: [String], key: String, what: String) throws -> [String] {
        for name in names where name != resolvedAtRunTime { try checkName(name, key: key, what: what) }
        return ["--"] + names
    }

    /// Refuses a name kubectl would read as a flag.
    static func checkName(_ name: String, key: String, what: String) throws {
        if name.isEmpty || name.hasPrefix("-") {
            throw DriverError(key, "\(what) `\(name)` is not a valid name: kubectl would read it as a flag; refusing")
        }
    }

    /// The time a Kubernetes object was created, as seconds since 1970 (0 when absent, so it sorts as oldest).
    static func creationTime(_ object: JSONValue) -> Double {
        object["metadata"]?["creationTimestamp"]?.stringValue.flatMap(CloudCommand.parseTimestamp) ?? 0
    }

    /// The `kind/name` of the workload a driver acts on (`deployment` or `statefulset`).
    static func workload(_ p: DriverParams) throws -> (kind: String, name: String) {
        if let name = p.optionalString("deployment") {
            try checkName(name, key: p.key, what: "deployment")
            return ("deployment", name)
        }
        if let name = p.optionalString("statefulset") {
            try checkName(name, key: p.key, what: "statefulset")
            return ("statefulset", name)
        }
        throw DriverError(p.key, "needs `deployment` or `statefulset`")
    }

    /// Seconds for kubectl's own `--timeout`, a little under the step's timeout so kubectl reports the timeout
    /// itself before the step is cancelled.
    static func ownTimeoutSeconds(_ stepTimeout: Duration) -> Int {
        let total = stepTimeout.seconds
        let margin = min(5, max(1, total / 10))
        return max(1, Int((total - margin).rounded(.down)))
    }

    /// A grace period in whole seconds, rounded up.
    static func graceSeconds(_ d: Duration) -> Int {
        max(0, Int(d.seconds.rounded(.up)))
    }
}
