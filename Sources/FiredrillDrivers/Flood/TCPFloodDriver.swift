import FiredrillCore

/// `flood.tcp`: opens `connections` TCP connections to `host:port` (at `open-rate` when given), holds them for
/// `hold`, then closes them all.
///
/// The `flood.release` undo ("every connection closed") is journaled before the first connection opens: if the
/// runner dies, the kernel closes its sockets, so the undo only has to record that. The soft limit on open files
/// is raised to the hard limit first. Cancelling the step closes every connection at once.
public struct TCPFloodDriver: StepDriver, DeclaredDriver {
    static let key = "flood.tcp"

    public static let spec = DriverSpec(
        key, role: .step, "Opens and holds many TCP connections.",
        timeout: "none",
        params: [
            ParamSpec("host", .string, required: true, "host name or address"),
            ParamSpec("port", .integer(min: 1, max: 65535), required: true, "TCP port"),
            ParamSpec("connections", .integer(min: 1, max: 1_000_000), required: true, "how many connections to open"),
            ParamSpec("open-rate", .rate, "how fast to open them (as fast as possible when absent)"),
            ParamSpec("hold", .duration, required: true, "how long to hold them open"),
        ],
        undo: "every connection closed"
    )

    /// A connection that has not completed after this long counts as timed out.
    let connectTimeout: Duration

    public init(connectTimeout: Duration = .seconds(10)) {
        self.connectTimeout = connectTimeout
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let host = try p.string("host")
        guard let port = try p.int("port"), (1...65535).contains(port) else { throw DriverError(Self.key, "`port` must be 1–65535") }
        guard let count = try p.int("connections"), count >= 1 else { throw DriverError(Self.key, "`connections` must be at least 1") }
        guard let hold = try p.duration("hold") else { throw DriverError(Self.key, "`hold` is required") }
        let rate = try p.rate("open-rate")?.perSecond
        let flood: TCPFlood
        switch await FloodThread.run(name: "flood.tcp", { TCPFlood.resolve(host: host, port: port) }) {
        case .success(let resolved): flood = resolved
        case .failure(let error): throw DriverError(Self.key, error.description)
        }
        let fileLimit = OpenFileLimit.raise()
        let token = try await context.willApply(UndoAction(
            key: FloodReleaseUndo.key, params: ["host": .string(host), "port": .number(Double(port)), "connections": .number(Double(count))],
            description: "close the connections to \(flood.display)"))
        let stop = FloodStopSignal()
        let timeout = connectTimeout
        let opening = await withTaskCancellationHandler {
            await FloodThread.run(name: "flood.tcp") { flood.open(count: count, rate: rate, connectTimeout: timeout, stop: stop) }
        } onCancel: { stop.signal() }
        if Task.isCancelled || stop.isSignalled {
            TCPFlood.closeAll(opening.fds)
            try? await context.didUndo(token, "closed \(opening.fds.count) connections at once: the step was cancelled")
            throw CancellationError()
        }
        var summary: [String: JSONValue] = [
            "target": .string(flood.display), "requested": .number(Double(count)), "opened": .number(Double(opening.fds.count)),
            "refused": .number(Double(opening.refused)), "failed": .number(Double(opening.failed)),
            "timed-out": .number(Double(opening.timedOut)), "open-seconds": .number(opening.seconds),
            "file-limit": .number(Double(min(fileLimit, Int(Int32.max)))),
        ]
        if let firstError = opening.firstError { summary["first-error"] = .string(firstError) }
        await context.record(.floodOpened, .object(summary))
        context.progress("opened \(opening.fds.count) of \(count) connections to \(flood.display) in \(Self.seconds(opening.seconds))"
                         + (opening.refused > 0 ? ", \(opening.refused) refused" : ""))
        guard !opening.fds.isEmpty else {
            try? await context.didUndo(token, "no connection was opened")
            let reason = opening.firstError ?? (opening.refused > 0 ? "connection refused" : "no connection completed")
            throw DriverError(Self.key, "could not open any connection to \(flood.display): \(reason) (\(opening.refused) refused, \(opening.failed + opening.timedOut) failed)")
        }
        let holding = await withTaskCancellationHandler {
            await FloodThread.run(name: "flood.tcp") { flood.hold(opening.fds, for: hold, stop: stop) }
        } onCancel: { stop.signal() }
        TCPFlood.closeAll(holding.fds)
        if Task.isCancelled || stop.isSignalled {
            try? await context.didUndo(token, "closed \(holding.fds.count) connections early: the step was cancelled")
            throw CancellationError()
        }
        try await context.didUndo(token, "closed \(holding.fds.count) connections after \(DurationSyntax.format(hold))")
        summary["held"] = .number(Double(holding.fds.count))
        summary["dropped"] = .number(Double(holding.dropped))
        summary["hold-seconds"] = .number(hold.seconds)
        var line = "held \(holding.fds.count) of \(count) connections to \(flood.display) for \(DurationSyntax.format(hold))"
        line += " (opened \(opening.fds.count) in \(Self.seconds(opening.seconds))"
        if opening.refused > 0 { line += ", \(opening.refused) refused" }
        if opening.failed + opening.timedOut > 0 { line += ", \(opening.failed + opening.timedOut) failed" }
        if holding.dropped > 0 { line += ", \(holding.dropped) closed by the server" }
        return StepOutcome(output: .object(summary), summary: line + ")")
    }

    static func seconds(_ value: Double) -> String {
        String(Double((value * 1000).rounded()) / 1000) + "s"
    }
}
