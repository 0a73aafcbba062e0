import FiredrillCore
import Foundation

/// Builds and runs `aws` command lines for the AWS drivers, through the one `CommandRunner`.
///
/// Every call is `aws SERVICE OPERATION ARGS… [--region=…] [--profile=…] [--endpoint-url=…] --output json`.
/// User-given scalar values travel as `--flag=value`, so a value that starts with `-` is never read as a flag.
struct AWSCLI: Sendable {
    /// The driver key failures are reported under.
    let key: String
    /// Variables set on top of the runner's environment (tests set credentials and point at moto_server).
    let environment: [String: String]

    /// `--region`, `--profile` and `--endpoint-url`, each only when given.
    static func access(_ p: DriverParams) -> [String] {
        var flags: [String] = []
        if let region = p.optionalString("region") { flags.append("--region=\(region)") }
        if let profile = p.optionalString("profile") { flags.append("--profile=\(profile)") }
        if let endpoint = p.optionalString("endpoint-url") { flags.append("--endpoint-url=\(endpoint)") }
        return flags
    }

    /// The same flags from an undo's recorded parameters.
    static func access(_ params: JSONValue) -> [String] {
        var flags: [String] = []
        for name in ["region", "profile", "endpoint-url"] {
            if let value = params[name]?.stringValue, !value.isEmpty { flags.append("--\(name)=\(value)") }
        }
        return flags
    }

    /// The access parameters as journal data, so an undo reaches the same account and region later.
    static func accessJSON(_ p: DriverParams) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for name in ["region", "profile", "endpoint-url"] {
            if let value = p.optionalString(name) { out[name] = .string(value) }
        }
        return out
    }

    /// The full argv of one call.
    static func argv(_ service: String, _ operation: String, _ args: [String], access: [String]) -> [String] {
        ["aws", service, operation] + args + access + ["--output", "json"]
    }

    /// Runs one call and parses its JSON output; throws unless it exits 0.
    func call(_ service: String, _ operation: String, _ args: [String], access: [String], context: DriverContext) async throws -> JSONValue {
        try Self.refuseFileParameters(args + access, key: key)
        let result = try await CloudCommand.run(Self.argv(service, operation, args, access: access), key: key,
                                                environment: environment, timeout: context.timeout, secrets: context.secrets)
        return try CloudCommand.parseJSON(result, key: key)
    }

    /// Refuses a value the CLI would replace with a local file's contents (`file://…`, `fileb://…`): the validator
    /// refuses them in the plan, and this catches one that arrived at run time (`${env.…}`, a step result).
    static func refuseFileParameters(_ args: [String], key: String) throws {
        for arg in args {
            let value = arg.hasPrefix("--") ? arg.split(separator: "=", maxSplits: 1).dropFirst().first.map(String.init) ?? "" : arg
            if let scheme = ParamType.awsFileScheme(value) {
                throw DriverError(key, "a parameter value starts with `\(scheme)`, which makes the aws CLI read a local file; refusing")
            }
        }
    }

    /// Refuses an identifier the CLI would read as a flag.
    static func checkIdentifier(_ value: String, key: String, what: String) throws {
        if value.isEmpty || value.hasPrefix("-") { throw DriverError(key, "\(what) `\(value)` is not a valid identifier") }
    }
}
