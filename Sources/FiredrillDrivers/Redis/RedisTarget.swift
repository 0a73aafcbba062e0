/// Where and how a Redis driver connects: the address, the credentials for `AUTH`, and TLS when asked.
struct RedisTarget: Sendable {
    var host: String
    var port: Int
    var username: String?
    var password: String?
    var tls: TLSConfig?

    /// `127.0.0.1:6379`.
    var address: String { ProxySocket.display(host: host, port: port) }

    /// `127.0.0.1:6379`, `127.0.0.1:6380 (TLS)` or `… (TLS, certificate NOT verified)`, for summaries and the journal.
    var shown: String { address + (tls.map { " (\($0.shown))" } ?? "") }

    /// The same server credentials and TLS settings at another address (a replica's primary).
    func at(host: String, port: Int) -> RedisTarget {
        var copy = self
        copy.host = host
        copy.port = port
        return copy
    }
}
