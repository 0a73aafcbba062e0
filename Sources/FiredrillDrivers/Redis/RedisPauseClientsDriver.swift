import FiredrillCore
import Foundation

/// `redis.pause-clients`: `CLIENT PAUSE` for `for`, so clients hang as they would behind a stuck primary.
///
/// The undo (`CLIENT UNPAUSE`) is journaled before the pause. The step unpauses itself when the time is up or it
/// is cancelled; the pause also carries its own timeout on the server, so even a runner killed mid-pause leaves
/// nothing after `for`. A `write` pause is lifted at once by `CLIENT UNPAUSE` (early, when cancelled, or by
/// `recover`); during an `all` pause Redis runs no command, `CLIENT UNPAUSE` included, so it lasts its `for`.
public struct RedisPauseClientsDriver: StepDriver, DeclaredDriver {
    static let key = "redis.pause-clients"

    public static let spec = DriverSpec(
        "redis.pause-clients", role: .step, "Pauses a Redis server's clients (CLIENT PAUSE) for a while.",
        timeout: "none",
        params: RedisParams.access + [
            ParamSpec("for", .duration, required: true, "how long the clients stay paused"),
            ParamSpec("mode", .enumeration(["all", "write"]), default: "all", "`all` commands (not liftable early: Redis then runs no command, `CLIENT UNPAUSE` included), or only `write` commands"),
        ],
        undo: "`CLIENT UNPAUSE`"
    )

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        let target = try RedisParams.target(p)
        guard let hold = try p.duration("for"), hold >= .milliseconds(1) else { throw DriverError(Self.key, "`for` is required") }
        let mode = (p.text("mode") ?? "all").uppercased()
        let shown = target.shown
        let ms = Int64(hold.seconds * 1000)
        let connection: RedisConnection
        do { connection = try await RedisParams.connect(p, timeout: hold + .seconds(10)) } catch {
            throw DriverError(Self.key, context.mask(error.description))
        }
        let box = UncheckedBox(connection)
        let until = Date().timeIntervalSince1970 + hold.seconds
        let token = try await context.willApply(UndoAction(
            key: RedisUnpauseUndo.key,
            params: ["address": .string(target.address), "username": target.username.map(JSONValue.string) ?? .null,
                     "tls": RedisParams.journaled(target.tls),
                     "until": .number((until * 1000).rounded() / 1000), "mode": .string(mode.lowercased())],
            description: "CLIENT UNPAUSE on \(shown)"))
        do {
            _ = try await RedisThread.run { () throws(RedisError) in try box.value.expect(["CLIENT", "PAUSE", String(ms), mode]) }
        } catch {
            try? await context.didUndo(token, "the pause was refused")
            throw DriverError(Self.key, context.mask(error.description))
        }
        context.progress("clients of \(shown) paused (\(mode.lowercased())) for \(DurationSyntax.format(hold))")
        var cancelled = false
        do { try await Task.sleep(for: hold) } catch { cancelled = true }
        let unpaused: String
        do {
            _ = try await RedisThread.run { () throws(RedisError) in try box.value.expect(["CLIENT", "UNPAUSE"]) }
            unpaused = cancelled ? "unpaused early, the step was cancelled" : "unpaused after \(DurationSyntax.format(hold))"
        } catch {
            unpaused = "the pause ended by itself after \(DurationSyntax.format(hold)) (CLIENT UNPAUSE failed: \(context.mask(error.description)))"
            if cancelled {
                // Still owed: recover (or the server's own timeout) ends it.
                throw CancellationError()
            }
        }
        try? await context.didUndo(token, unpaused)
        if cancelled { throw CancellationError() }
        return StepOutcome(output: ["address": .string(target.address), "tls": .bool(target.tls != nil), "paused-ms": .number(Double(ms)), "mode": .string(mode.lowercased())],
                           summary: "paused the clients of \(shown) (\(mode.lowercased())) for \(DurationSyntax.format(hold)); \(unpaused)")
    }
}
