import FiredrillCore
import Foundation

/// The argv lists of `network.netem`, built once for the run and the dry run: `tc` (prefixed with
/// `ip netns exec NAME` for a `namespace`), never a shell string.
struct NetemCommands: Sendable {
    let interface: String
    let namespace: String?
    /// `netem` options: `delay 200ms 20ms loss 30% …`.
    let netem: [String]
    /// A u32 filter's matches: `match ip dst 192.0.2.2/32 match ip dport 80 0xffff`; empty without a filter.
    let matches: [String]

    static let key = "network.netem"

    init(interface: String, namespace: String?, netem: [String], matches: [String]) {
        self.interface = interface
        self.namespace = namespace
        self.netem = netem
        self.matches = matches
    }

    /// Reads and checks the parameters of a call.
    init(_ p: DriverParams) throws {
        let interface = try p.string("interface")
        guard interface.range(of: "^[A-Za-z0-9_.:@-]{1,15}$", options: .regularExpression) != nil else {
            throw DriverError(Self.key, "`interface` `\(interface)` is not an interface name")
        }
        let namespace = p.optionalString("namespace")
        if let namespace, namespace.range(of: "^[A-Za-z0-9_.-]{1,64}$", options: .regularExpression) == nil {
            throw DriverError(Self.key, "`namespace` `\(namespace)` is not a network namespace name")
        }
        var netem: [String] = []
        if let delay = try p.duration("delay") {
            netem += ["delay", Self.tcTime(delay)]
            if let jitter = try p.duration("jitter") { netem.append(Self.tcTime(jitter)) }
        } else if p.has("jitter") {
            throw DriverError(Self.key, "`jitter` needs `delay`")
        }
        for (name, word) in [("loss", "loss"), ("corrupt", "corrupt"), ("duplicate", "duplicate"), ("reorder", "reorder")] {
            if let share = try p.percentage(name) { netem += [word, "\(share.value)%"] }
        }
        if p.has("reorder"), !p.has("delay") { throw DriverError(Self.key, "`reorder` needs `delay` (netem reorders by sending some packets without it)") }
        if let rate = p.text("rate") {
            let bytes: Int64
            do { bytes = try ByteSize.parse(rate).bytes } catch { throw DriverError(Self.key, "`rate`: \(error.message) (got `\(rate)`)") }
            guard bytes >= 1 else { throw DriverError(Self.key, "`rate` must be at least 1B") }
            netem += ["rate", "\(bytes)bps"]
        }
        guard !netem.isEmpty else {
            throw DriverError(Self.key, "give at least one of `delay`, `loss`, `corrupt`, `duplicate`, `reorder`, `rate`")
        }
        var matches: [String] = []
        if let destination = p.optionalString("destination") {
            let cidr = destination.contains("/") ? destination : destination + "/32"
            guard cidr.range(of: #"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$"#, options: .regularExpression) != nil else {
                throw DriverError(Self.key, "`destination` must be an IPv4 address or CIDR (e.g. 192.0.2.10 or 192.0.2.0/24), got `\(destination)`")
            }
            matches += ["match", "ip", "dst", cidr]
        }
        if let port = try p.int("port") { matches += ["match", "ip", "dport", "\(port)", "0xffff"] }
        self.init(interface: interface, namespace: namespace, netem: netem, matches: matches)
    }

    /// tc's time syntax, in microseconds so nothing is rounded away.
    static func tcTime(_ d: Duration) -> String {
        "\(Int64((d.seconds * 1_000_000).rounded()))us"
    }

    func wrap(_ argv: [String]) -> [String] {
        namespace.map { ["ip", "netns", "exec", $0] + argv } ?? argv
    }

    /// Checks the interface exists (in the namespace): `ip link show dev IF`.
    var checkArgv: [String] {
        namespace.map { ["ip", "-n", $0, "link", "show", "dev", interface] } ?? ["ip", "link", "show", "dev", interface]
    }

    /// What applies the fault: the netem qdisc at the root, or a prio qdisc whose fourth band holds netem and a
    /// u32 filter sending the matching packets there.
    var applyArgv: [[String]] {
        guard !matches.isEmpty else { return [wrap(["tc", "qdisc", "add", "dev", interface, "root", "netem"] + netem)] }
        return [
            wrap(["tc", "qdisc", "add", "dev", interface, "root", "handle", "1:", "prio", "bands", "4",
                  "priomap", "1", "2", "2", "2", "1", "2", "0", "0", "1", "1", "1", "1", "1", "1", "1", "1"]),
            wrap(["tc", "qdisc", "add", "dev", interface, "parent", "1:4", "handle", "40:", "netem"] + netem),
            wrap(["tc", "filter", "add", "dev", interface, "parent", "1:0", "protocol", "ip", "prio", "1", "u32"] + matches + ["flowid", "1:4"]),
        ]
    }

    /// What removes it: the root qdisc, with whatever hangs below it.
    var removeArgv: [String] { wrap(["tc", "qdisc", "del", "dev", interface, "root"]) }

    var place: String { interface + (namespace.map { " in namespace \($0)" } ?? "") }
}
