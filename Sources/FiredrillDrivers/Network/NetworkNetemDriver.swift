import FiredrillCore
import Foundation

/// `network.netem`: packet loss, delay ± jitter, corruption, duplication, reordering and a rate limit on a Linux
/// interface through `tc` (argv only), optionally only for packets to a destination IP and/or port (prio qdisc
/// and u32 filter), optionally inside a network namespace (`ip netns exec`).
///
/// The undo (`tc qdisc del dev IF root`) is journaled before the qdisc is added, so `recover` removes it after
/// a crash. Refused when not root or when the interface does not exist.
public struct NetworkNetemDriver: StepDriver, DeclaredDriver {
    static let key = "network.netem"

    public static let spec = DriverSpec(
        "network.netem", role: .step, "Adds loss, delay, corruption, duplication, reordering or a rate limit to an interface (tc netem).",
        timeout: "none",
        params: [
            ParamSpec("interface", .string, required: true, "the interface whose outgoing packets are affected (e.g. eth0)"),
            ParamSpec("namespace", .string, "run tc inside this network namespace (`ip netns exec NAME`)"),
            ParamSpec("delay", .duration, "delay added to every packet"),
            ParamSpec("jitter", .duration, "with `delay`: it varies by up to this much"),
            ParamSpec("loss", .percentage, "share of packets dropped"),
            ParamSpec("corrupt", .percentage, "share of packets with a flipped bit"),
            ParamSpec("duplicate", .percentage, "share of packets sent twice"),
            ParamSpec("reorder", .percentage, "with `delay`: share of packets sent at once, ahead of delayed ones"),
            ParamSpec("rate", .byteSize, "at most this many bytes per second (e.g. `128KiB`)"),
            ParamSpec("destination", .string, "only packets to this IPv4 address or CIDR"),
            ParamSpec("port", .integer(min: 1, max: 65535), "only packets to this destination port"),
            ParamSpec("for", .duration, "remove it after this long; without it, the rollbacks remove it"),
        ],
        undo: "`tc qdisc del dev IF root`",
        program: "tc"
    )

    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        let c = try NetemCommands(p)
        _ = try p.duration("for")
        return [c.checkArgv] + c.applyArgv
    }

    let environment: [String: String]

    public init(environment: [String: String] = [:]) {
        self.environment = environment
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let commands = try NetemCommands(p)
        let hold = try p.duration("for")
        guard geteuid() == 0 else {
            throw DriverError(Self.key, "needs root to change qdiscs with tc (running as uid \(geteuid())); run firedrill as root or use `network.proxy`, which needs no privileges")
        }
        let check = try await Self.exec(commands.checkArgv, environment: environment, context: context)
        guard check.succeeded else {
            throw DriverError(Self.key, "no interface `\(commands.interface)`\(commands.namespace.map { " in namespace \($0)" } ?? ""): \(check.stderr.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let token = try await context.willApply(UndoAction(
            key: NetworkNetemUndo.key,
            params: ["interface": .string(commands.interface), "namespace": commands.namespace.map(JSONValue.string) ?? .null],
            description: "tc qdisc del dev \(commands.interface) root" + (commands.namespace.map { " (namespace \($0))" } ?? "")))
        for (index, argv) in commands.applyArgv.enumerated() {
            let result = try await Self.exec(argv, environment: environment, context: context)
            guard result.succeeded else {
                var reason = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
                if reason.contains("qdisc kind is unknown") {
                    reason += " (this kernel has no netem or prio qdisc: load the sch_netem and sch_prio modules)"
                }
                if index == 0 {
                    try? await context.didUndo(token, "nothing was added")
                } else {
                    let removed = try? await Self.exec(commands.removeArgv, environment: environment, context: context)
                    if removed?.succeeded == true { try? await context.didUndo(token, "removed the half-added qdisc") }
                }
                throw DriverError(Self.key, "`\(CommandLineDisplay.render(argv))` failed: \(reason.isEmpty ? "exit \(result.exitCode.map(String.init) ?? "?")" : reason)")
            }
        }
        let what = commands.netem.joined(separator: " ") + (commands.matches.isEmpty ? "" : " for " + commands.matches.joined(separator: " "))
        context.progress("netem on \(commands.place): \(what)")
        var output: [String: JSONValue] = ["interface": .string(commands.interface), "netem": .string(commands.netem.joined(separator: " "))]
        if let namespace = commands.namespace { output["namespace"] = .string(namespace) }
        guard let hold else {
            return StepOutcome(output: .object(output), summary: "netem on \(commands.place): \(what); the rollbacks remove it")
        }
        var cancelled = false
        do { try await Task.sleep(for: hold) } catch { cancelled = true }
        let removed = try await Self.exec(commands.removeArgv, environment: environment, context: context)
        guard removed.succeeded else {
            throw DriverError(Self.key, "could not remove the qdisc: \(removed.stderr.trimmingCharacters(in: .whitespacesAndNewlines)); the undo stays owed")
        }
        try? await context.didUndo(token, cancelled ? "removed early: the step was cancelled" : "removed after \(DurationSyntax.format(hold))")
        if cancelled { throw CancellationError() }
        return StepOutcome(output: .object(output), summary: "netem on \(commands.place) for \(DurationSyntax.format(hold)): \(what)")
    }

    static func exec(_ argv: [String], environment: [String: String], context: DriverContext) async throws -> CommandResult {
        do {
            return try await CommandRunner().run(CommandRequest(argv: argv, environment: environment, timeout: .seconds(30), secrets: context.secrets))
        } catch {
            throw DriverError(key, "`\(CommandLineDisplay.render(argv))`: \(error)")
        }
    }
}
