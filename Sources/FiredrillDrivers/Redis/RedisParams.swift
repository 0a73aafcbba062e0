import FiredrillCore

/// The connection parameters every Redis driver takes.
enum RedisParams {
    static let access: [ParamSpec] = [
        ParamSpec("address", .string, default: "127.0.0.1:6379", "the server's `host:port`"),
        ParamSpec("username", .string, "ACL user for `AUTH` (with `password`)"),
        ParamSpec("password", .string, "password for `AUTH`; give it as `${secret.NAME}` so it is masked everywhere"),
    ]

    /// Host, port, username and password of a call.
    static func target(_ p: DriverParams) throws -> (host: String, port: Int, username: String?, password: String?) {
        let text = try p.string("address")
        guard let (host, port) = ProxySocket.split(text), port > 0 else {
            throw DriverError(p.key, "`address` must be host:port (e.g. 127.0.0.1:6379), got `\(text)`")
        }
        return (host, port, p.optionalString("username"), p.optionalString("password"))
    }

    /// Connects on a Redis thread.
    static func connect(_ p: DriverParams, timeout: Duration) async throws(RedisError) -> RedisConnection {
        let t: (host: String, port: Int, username: String?, password: String?)
        do { t = try target(p) } catch { throw RedisError(.connect, String(describing: error)) }
        let ms = Int32(max(100, min(timeout.seconds * 1000, 600_000)))
        return try await RedisThread.run { () throws(RedisError) in
            UncheckedBox(try RedisConnection(host: t.host, port: t.port, username: t.username, password: t.password, timeoutMs: ms))
        }.value
    }
}

/// Carries a connection used by one task at a time across a thread hop.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
