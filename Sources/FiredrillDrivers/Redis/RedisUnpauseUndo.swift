import FiredrillCore
import Foundation

/// Undo of `redis.pause-clients`: `CLIENT UNPAUSE`. Once the pause's own end has passed there is nothing to do.
/// During an `all` pause Redis (7.0) runs no command at all, `CLIENT UNPAUSE` included: the call then returns when
/// the pause ends by itself, and says so. The password is never journaled, so on a server that needs one,
/// `recover` cannot unpause before that end. TLS settings are journaled (file paths and the name checked, no
/// secret), so a server reached over TLS is reached the same way.
public struct RedisUnpauseUndo: DeclaredUndo {
    public static let key = "redis.unpause"

    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        let address = params["address"]?.stringValue ?? "?"
        let tls = RedisParams.journaled(params["tls"])
        let until = params["until"]?.doubleValue ?? 0
        let ends = Date(timeIntervalSince1970: until)
        let left = ends.timeIntervalSinceNow
        if left <= 0 {
            return "nothing left: the pause on \(address) ended by itself at \(ends.formatted(.iso8601))"
        }
        guard let (host, port) = ProxySocket.split(address) else { throw DriverError(Self.key, "bad address `\(address)` in the undo") }
        let target = RedisTarget(host: host, port: port, tls: tls)
        let shown = target.shown
        let waitMs = Int32(min(left + 5, 100) * 1000)
        let start = ProxySocket.now()
        do {
            _ = try await RedisThread.run { () throws(RedisError) in
                try RedisConnection(target, timeoutMs: waitMs).expect(["CLIENT", "UNPAUSE"])
            }
        } catch {
            throw DriverError(Self.key, "could not unpause \(shown): \(error.description); the pause ends by itself at \(ends.formatted(.iso8601))")
        }
        let took = Double(ProxySocket.now() - start) / 1e9
        if took > 1, took >= left - 1 {
            return "CLIENT UNPAUSE on \(shown) ran once the pause ended by itself at \(ends.formatted(.iso8601)) (Redis runs no command during an `all` pause)"
        }
        return "CLIENT UNPAUSE on \(shown)"
    }
}
