import FiredrillCore
import Foundation

/// `network.proxy`: a user-space TCP proxy in the runner's process, with toxics (latency ± jitter, bandwidth,
/// resets, blackhole, refuse, slow close) on a share of connections. No agent, no privileges.
///
/// - With `listen:` and `upstream:` the step starts a proxy. With `for:` it runs that long and stops; without,
///   it runs until its undo stops it (at the rollbacks, so for the whole method).
/// - With `set: NAME` the step changes the toxics of a proxy an earlier step started (for `for:` when given;
///   otherwise until its undo clears them); `clear: NAME` removes them.
///
/// The undo is journaled before the listener opens. The proxy's counters are journaled (`proxy.counters`)
/// every `report-every` and when it stops: the proof that the fault hit traffic.
public struct NetworkProxyDriver: StepDriver, DeclaredDriver {
    static let key = "network.proxy"

    public static let spec = DriverSpec(
        "network.proxy", role: .step,
        "Runs a TCP proxy with toxics (latency, jitter, bandwidth, resets, blackhole, refuse, slow close) inside the runner.",
        timeout: "none",
        params: [
            ParamSpec("listen", .string, "start a proxy listening on `host:port` (`127.0.0.1:0` picks a free port; the step's output `listen` tells which)"),
            ParamSpec("upstream", .string, "with `listen`: the `host:port` it forwards to"),
            ParamSpec("name", .string, "with `listen`: the proxy's name for later `set:` / `clear:` steps (default: the step's name)"),
            ParamSpec("set", .string, "change the toxics of the running proxy of this name (replacing those of the same direction)"),
            ParamSpec("clear", .string, "remove the toxics of the running proxy of this name (in `direction`)"),
            ParamSpec("for", .duration, "run (or keep the toxics) this long, then stop (or clear them); without it, until the undo at the rollbacks"),
            ParamSpec("report-every", .duration, default: "5s", "with `listen`: how often the counters are journaled"),
        ] + ProxyToxics.params,
        rules: [.exactlyOne(["listen", "set", "clear"]), .requires("listen", ["upstream"]), .atMostOne(["clear", "for"])],
        undo: "the proxy stopped (`listen`), or the toxics cleared (`set`)"
    )

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let directions = ProxyDirection.parse(p.text("direction"))
        let toxics = try ProxyToxics.read(p)
        let hold = try p.duration("for")
        if p.has("listen") {
            return try await start(p, toxics: toxics, directions: directions, hold: hold, context: context)
        }
        if let name = p.optionalString("set") {
            return try await set(name, toxics: toxics, directions: directions, hold: hold, context: context)
        }
        let name = try p.string("clear")
        let given = ProxyToxics.names.filter { p.has($0) }
        if !given.isEmpty {
            throw DriverError(Self.key, "`clear` removes toxics; it takes no toxic (got \(given.map { "`\($0)`" }.joined(separator: ", ")))")
        }
        guard let running = ProxyRegistry.find(name) else { throw Self.notRunning(name) }
        running.proxy.set(ProxyToxics(), on: directions)
        let line = "cleared the toxics of proxy \(name) (\(Self.words(directions)))"
        context.progress(line)
        return StepOutcome(output: ["proxy": .string(name), "counters": running.proxy.counters.snapshot.json], summary: line)
    }

    private func start(_ p: DriverParams, toxics: ProxyToxics, directions: [ProxyDirection], hold: Duration?,
                       context: DriverContext) async throws -> StepOutcome {
        let name = p.optionalString("name") ?? context.name
        let listenText = try p.string("listen")
        let upstreamText = try p.string("upstream")
        guard let listenAt = ProxySocket.split(listenText) else {
            throw DriverError(Self.key, "`listen` must be host:port (e.g. 127.0.0.1:15432), got `\(listenText)`")
        }
        guard let upstreamAt = ProxySocket.split(upstreamText), upstreamAt.port > 0 else {
            throw DriverError(Self.key, "`upstream` must be host:port with a port 1–65535, got `\(upstreamText)`")
        }
        let every = try p.duration("report-every") ?? .seconds(5)
        guard every >= .milliseconds(100) else { throw DriverError(Self.key, "`report-every` must be at least 100ms") }
        let listen = try Self.resolve(listenAt, "listen")
        let upstream = try Self.resolve(upstreamAt, "upstream")
        guard ProxyRegistry.find(name) == nil else {
            throw DriverError(Self.key, "a proxy named `\(name)` is already running; give this one another `name`")
        }
        // Each connection holds a few descriptors (two sockets, and pipes while spliced): a proxy in front of a
        // busy service must not run out at the usual soft limit of 1,024.
        OpenFileLimit.raise()
        let proxy = TCPProxy(name: name, listen: listen, upstream: upstream)
        if !toxics.isEmpty { proxy.set(toxics, on: directions) }
        let instance = UUID().uuidString.lowercased()
        let token = try await context.willApply(UndoAction(
            key: NetworkProxyStopUndo.key,
            params: ["proxy": .string(name), "instance": .string(instance), "listen": .string(listen.display), "upstream": .string(upstream.display)],
            description: "stop proxy \(name) on \(listen.display)"))
        let bound: ProxySocket.Address
        switch proxy.start() {
        case .success(let address): bound = address
        case .failure(let error):
            try? await context.didUndo(token, "the proxy never started")
            throw DriverError(Self.key, error.description)
        }
        let running = RunningProxy(proxy: proxy, instance: instance, listen: bound.display, context: context)
        guard ProxyRegistry.add(running) else {
            _ = proxy.stop()
            try? await context.didUndo(token, "the proxy never started")
            throw DriverError(Self.key, "a proxy named `\(name)` is already running; give this one another `name`")
        }
        running.startReporting(every: every)
        var output: [String: JSONValue] = [
            "proxy": .string(name), "listen": .string(bound.display), "upstream": .string(upstream.display),
            "toxics": .string(toxics.summary),
        ]
        let started = "proxy \(name) on \(bound.display) → \(upstream.display)" + (toxics.isEmpty ? "" : " (\(Self.words(directions)): \(toxics.summary))")
        context.progress(started)
        guard let hold else {
            return StepOutcome(output: .object(output), summary: started + "; it runs until the rollbacks stop it")
        }
        do {
            try await Task.sleep(for: hold)
        } catch {
            let values = await running.stop()
            try? await context.didUndo(token, "stopped early, the step was cancelled: \(values.summary)")
            throw CancellationError()
        }
        let values = await running.stop()
        try await context.didUndo(token, "stopped after \(DurationSyntax.format(hold)): \(values.summary)")
        output["counters"] = values.json
        return StepOutcome(output: .object(output), summary: "ran " + started + " for \(DurationSyntax.format(hold)): \(values.summary)")
    }

    private func set(_ name: String, toxics: ProxyToxics, directions: [ProxyDirection], hold: Duration?,
                     context: DriverContext) async throws -> StepOutcome {
        guard let running = ProxyRegistry.find(name) else { throw Self.notRunning(name) }
        guard !toxics.isEmpty else {
            throw DriverError(Self.key, "`set` needs at least one toxic (\(ProxyToxics.names.map { "`\($0)`" }.joined(separator: ", ")))")
        }
        let token = try await context.willApply(UndoAction(
            key: NetworkProxyClearUndo.key,
            params: ["proxy": .string(name), "instance": .string(running.instance), "direction": .string(directions.count == 1 ? directions[0].rawValue : "both")],
            description: "clear the toxics of proxy \(name) (\(Self.words(directions)))"))
        running.proxy.set(toxics, on: directions)
        let line = "proxy \(name) (\(Self.words(directions))): \(toxics.summary)"
        context.progress(line)
        guard let hold else { return StepOutcome(output: ["proxy": .string(name), "toxics": .string(toxics.summary)], summary: line) }
        do {
            try await Task.sleep(for: hold)
        } catch {
            running.proxy.set(ProxyToxics(), on: directions)
            try? await context.didUndo(token, "cleared early, the step was cancelled")
            throw CancellationError()
        }
        running.proxy.set(ProxyToxics(), on: directions)
        try await context.didUndo(token, "cleared after \(DurationSyntax.format(hold))")
        let counters = running.proxy.counters.snapshot
        return StepOutcome(output: ["proxy": .string(name), "toxics": .string(toxics.summary), "counters": counters.json],
                           summary: line + " for \(DurationSyntax.format(hold)); so far \(counters.summary)")
    }

    static func resolve(_ at: (host: String, port: Int), _ param: String) throws -> ProxySocket.Address {
        switch ProxySocket.resolve(host: at.host, port: at.port) {
        case .success(let address): return address
        case .failure(let error): throw DriverError(key, "`\(param)`: \(error.description)")
        }
    }

    static func notRunning(_ name: String) -> DriverError {
        DriverError(key, "no proxy named `\(name)` is running in this run; start it earlier with `network.proxy: { name: \(name), listen: …, upstream: … }`")
    }

    static func words(_ directions: [ProxyDirection]) -> String {
        directions.count == 1 ? directions[0].rawValue : "both directions"
    }
}
