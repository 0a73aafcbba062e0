import FiredrillCore

/// `flood.postgres`: opens libpq connections to `dsn` (`connections` of them, or with `max` until the server
/// refuses with "too many clients"), at `open-rate` when given, holds them for `hold`, then closes them all.
///
/// A refusal with SQLSTATE 53300 is the expected end of the opening, not an error: the summary says after how
/// long and at which connection the server started refusing. The `flood.release` undo is journaled before the
/// first connection opens; if the runner dies, the kernel closes its sockets and the server ends those
/// sessions, so the undo only has to record that. Cancelling the step closes every connection at once.
public struct PostgresFloodDriver: StepDriver, DeclaredDriver {
    static let key = "flood.postgres"

    public static let spec = DriverSpec(
        key, role: .step, "Opens PostgreSQL connections until `connections` or until the server refuses, then holds them.",
        timeout: "none",
        params: [
            ParamSpec("dsn", .dsn, required: true, "connection URI or conninfo"),
            ParamSpec("connections", .countOrMax, required: true, "how many to open; `max` opens until the server says too many clients"),
            ParamSpec("hold", .duration, required: true, "how long to hold them open"),
            ParamSpec("open-rate", .rate, "how fast to open them"),
        ],
        undo: "every connection closed"
    )

    let connectTimeout: Duration

    public init(connectTimeout: Duration = .seconds(10)) {
        self.connectTimeout = connectTimeout
    }

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let dsn = try p.string("dsn")
        let count: Int?
        if p.text("connections") == "max" {
            count = nil
        } else {
            guard let number = try p.int("connections"), number >= 1 else {
                throw DriverError(Self.key, "`connections` must be at least 1 or `max`")
            }
            count = number
        }
        guard let hold = try p.duration("hold") else { throw DriverError(Self.key, "`hold` is required") }
        let rate = try p.rate("open-rate")?.perSecond
        let shown: String
        do {
            shown = try PGConnection.parse(dsn).target
        } catch {
            throw DriverError(Self.key, context.mask(error.description))
        }
        let requested = count.map(String.init) ?? "max"

        let fileLimit = OpenFileLimit.raise()
        let token = try await context.willApply(UndoAction(
            key: FloodReleaseUndo.key, params: ["target": .string(shown), "connections": .string(requested)],
            description: "close the connections to \(shown)"))
        let flood = PGConnectionFlood(conninfo: dsn)
        let stop = FloodStopSignal()
        let timeout = connectTimeout
        context.progress("opening \(count.map { "\($0)" } ?? "as many as the server allows") connections to \(shown)")
        let opening = await withTaskCancellationHandler {
            await FloodThread.run(name: Self.key) { flood.open(count: count, rate: rate, connectTimeout: timeout, stop: stop) }
        } onCancel: { stop.signal() }
        if Task.isCancelled || stop.isSignalled {
            let closed = flood.closeAll()
            try? await context.didUndo(token, "closed \(closed) connections at once: the step was cancelled")
            throw CancellationError()
        }

        var summary: [String: JSONValue] = [
            "target": .string(shown), "requested": count.map { .number(Double($0)) } ?? .string("max"),
            "opened": .number(Double(opening.opened)), "refused": .number(Double(opening.refused)),
            "failed": .number(Double(opening.failed)), "timed-out": .number(Double(opening.timedOut)),
            "open-seconds": .number(opening.seconds),
            "file-limit": .number(Double(min(fileLimit, Int(Int32.max)))),
        ]
        if let seconds = opening.firstRefusalSeconds { summary["first-refusal-seconds"] = .number(seconds) }
        if let message = opening.refusalMessage { summary["refusal"] = .string(context.mask(message)) }
        if let message = opening.firstError { summary["first-error"] = .string(context.mask(message)) }
        await context.record(.floodOpened, .object(summary))
        context.progress(Self.openingLine(opening, requested: requested, target: shown))

        guard opening.opened > 0 else {
            try? await context.didUndo(token, "no connection was opened")
            let reason = opening.refusalMessage ?? opening.firstError ?? "no connection completed"
            throw DriverError(Self.key, "could not open any connection to \(shown): \(context.mask(reason)) "
                              + "(\(opening.refused) refused, \(opening.failed + opening.timedOut) failed)")
        }

        let holding = await withTaskCancellationHandler {
            await FloodThread.run(name: Self.key) { flood.hold(for: hold, stop: stop) }
        } onCancel: { stop.signal() }
        let closed = flood.closeAll()
        if Task.isCancelled || stop.isSignalled {
            try? await context.didUndo(token, "closed \(closed) connections early: the step was cancelled")
            throw CancellationError()
        }
        try await context.didUndo(token, "closed \(closed) connections after \(DurationSyntax.format(hold))")
        summary["held"] = .number(Double(holding.held))
        summary["dropped"] = .number(Double(holding.dropped))
        summary["hold-seconds"] = .number(hold.seconds)
        if let reason = holding.firstDropReason { summary["drop-reason"] = .string(context.mask(reason)) }
        var line = "held \(holding.held) of \(requested) connections to \(shown) for \(DurationSyntax.format(hold)) ("
            + Self.openingLine(opening, requested: requested, target: nil)
        if holding.dropped > 0 { line += "; \(holding.dropped) ended by the server" }
        return StepOutcome(output: .object(summary), summary: line + ")")
    }

    /// "opened 17 in 0.052s; refused from 0.061s: sorry, too many clients already" (with the target when given).
    static func openingLine(_ opening: PGConnectionFlood.Opening, requested: String, target: String?) -> String {
        var line = "opened \(opening.opened)"
        if let target { line += " of \(requested) connections to \(target)" }
        line += " in \(TCPFloodDriver.seconds(opening.seconds))"
        if let seconds = opening.firstRefusalSeconds {
            line += "; the server refused \(opening.refused) from \(TCPFloodDriver.seconds(seconds))"
            if let message = opening.refusalMessage { line += ": \(message)" }
        }
        if opening.failed + opening.timedOut > 0 {
            line += "; \(opening.failed + opening.timedOut) failed"
            if let error = opening.firstError { line += ": \(error)" }
        }
        return line
    }
}
