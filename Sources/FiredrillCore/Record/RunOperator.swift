import Foundation

/// Who ran a run or a `firedrill recover`: the operator named with `--operator` or `$FIREDRILL_OPERATOR`, and the
/// OS account and host the process ran as (read from the system, not from `$USER`, which anyone can set).
public struct RunOperator: Sendable, Hashable {
    /// The environment variable naming the operator when `--operator` is not given.
    public static let environmentVariable = "FIREDRILL_OPERATOR"

    /// The operator's name, when one was given.
    public var name: String?
    /// Where the name came from: `--operator` or `FIREDRILL_OPERATOR`.
    public var source: String?
    public var osUser: String
    public var uid: Int
    public var host: String

    public init(name: String?, source: String?, osUser: String, uid: Int, host: String) {
        self.name = name
        self.source = source
        self.osUser = osUser
        self.uid = uid
        self.host = host
    }

    /// The operator of this process: `flag` (the `--operator` value) wins over `$FIREDRILL_OPERATOR`; blank
    /// values count as not given.
    public static func current(flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> RunOperator {
        let uid = geteuid()
        let user = getpwuid(uid).map { String(cString: $0.pointee.pw_name) } ?? "uid \(uid)"
        var name: String?
        var source: String?
        if let flag = flag?.trimmingCharacters(in: .whitespacesAndNewlines), !flag.isEmpty {
            (name, source) = (flag, "--operator")
        } else if let env = environment[environmentVariable]?.trimmingCharacters(in: .whitespacesAndNewlines), !env.isEmpty {
            (name, source) = (env, environmentVariable)
        }
        return RunOperator(name: name, source: source, osUser: user, uid: Int(uid), host: ProcessInfo.processInfo.hostName)
    }

    /// The journal form (`run.record`'s and `recover.started`'s `operator`).
    public var json: JSONValue {
        .object([
            "name": name.map { .string($0) } ?? .null, "source": source.map { .string($0) } ?? .null,
            "os-user": .string(osUser), "uid": .number(Double(uid)), "host": .string(host),
        ])
    }

    /// Reads the journal form back; nil when `value` is not one.
    public init?(json value: JSONValue?) {
        guard let value, let user = value["os-user"]?.stringValue else { return nil }
        self.init(name: value["name"]?.stringValue, source: value["source"]?.stringValue, osUser: user,
                  uid: value["uid"]?.intValue ?? -1, host: value["host"]?.stringValue ?? "")
    }

    /// `Jane Doe (--operator); OS user root (uid 0) on db-host`, or `operator not given; OS user …`.
    public var summary: String {
        let who = name.map { "\($0) (\(source ?? "given"))" } ?? "operator not given"
        return "\(who); OS user \(osUser) (uid \(uid)) on \(host)"
    }
}
