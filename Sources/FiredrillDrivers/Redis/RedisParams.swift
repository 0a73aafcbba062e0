import FiredrillCore
import Foundation

/// The connection parameters every Redis driver takes.
enum RedisParams {
    /// The options of `tls: { … }`.
    static let tlsOptions: [ParamSpec] = [
        ParamSpec("ca", .file, "CA bundle (PEM) to verify the server against (default: the system store)"),
        ParamSpec("cert", .file, "client certificate (PEM), for a server with `tls-auth-clients yes`"),
        ParamSpec("key", .file, "private key (PEM) of `cert` (default: read from the `cert` file)"),
        ParamSpec("server-name", .string, "the name the server's certificate must carry, sent as SNI when it is a host name (default: the host of `address`)"),
        ParamSpec("insecure-skip-verify", .boolean, default: "false",
                  "accept any server certificate; validation warns, and every summary and journal entry says the connection is unverified")
            .cautioned("the server's certificate is NOT verified: anything on the path can pose as this Redis"),
    ]

    static let access: [ParamSpec] = [
        ParamSpec("address", .string, default: "127.0.0.1:6379", "the server's `host:port`"),
        ParamSpec("username", .string, "ACL user for `AUTH` (with `password`)"),
        ParamSpec("password", .string, "password for `AUTH`; give it as `${secret.NAME}` so it is masked everywhere"),
        ParamSpec("tls", .oneOf([.boolean, .options(tlsOptions, rules: [.requires("key", ["cert"])])]), default: "false",
                  "connect over TLS: `true` verifies the server against the system CAs and the host name; a map sets the options below"),
    ]

    /// Host, port, credentials and TLS settings of a call.
    static func target(_ p: DriverParams) throws -> RedisTarget {
        let text = try p.string("address")
        guard let (host, port) = ProxySocket.split(text), port > 0 else {
            throw DriverError(p.key, "`address` must be host:port (e.g. 127.0.0.1:6379), got `\(text)`")
        }
        return RedisTarget(host: host, port: port, username: p.optionalString("username"), password: p.optionalString("password"), tls: try tls(p))
    }

    /// The TLS settings of `tls`: nil without TLS. Values that came from the environment at run time are checked
    /// here as the validator checks them at load.
    static func tls(_ p: DriverParams) throws -> TLSConfig? {
        guard p.has("tls"), let node = p.node["tls"] else { return nil }
        func flag(_ text: String, _ name: String) throws -> Bool {
            switch text.lowercased() {
            case "true", "yes": return true
            case "false", "no": return false
            default: throw DriverError(p.key, "`\(name)` must be true or false, got `\(text)`")
            }
        }
        if let text = node.scalar { return try flag(text, "tls") ? TLSConfig() : nil }
        guard node.entries != nil else { throw DriverError(p.key, "`tls` must be true, false or a map of options") }
        func option(_ name: String) -> String? { node[name]?.scalar.flatMap { $0.isEmpty ? nil : $0 } }
        var config = TLSConfig(caFile: option("ca"), certFile: option("cert"), keyFile: option("key"), serverName: option("server-name"))
        if let skip = option("insecure-skip-verify") { config.insecureSkipVerify = try flag(skip, "tls.insecure-skip-verify") }
        if config.keyFile != nil, config.certFile == nil {
            throw DriverError(p.key, "`tls.key` is given without `tls.cert`: a client key needs its certificate")
        }
        for (name, path) in [("ca", config.caFile), ("cert", config.certFile), ("key", config.keyFile)] {
            guard let path, !FileManager.default.isReadableFile(atPath: path) else { continue }
            let exists = FileManager.default.fileExists(atPath: path)
            throw DriverError(p.key, "`tls.\(name)`: \(exists ? "cannot read `\(path)`" : "no such file `\(path)`")")
        }
        return config
    }

    /// The TLS settings as the undo record carries them (file paths and names, never a secret value).
    static func journaled(_ tls: TLSConfig?) -> JSONValue {
        guard let tls else { return .null }
        var o: [String: JSONValue] = [:]
        if let ca = tls.caFile { o["ca"] = .string(ca) }
        if let cert = tls.certFile { o["cert"] = .string(cert) }
        if let key = tls.keyFile { o["key"] = .string(key) }
        if let name = tls.serverName { o["server-name"] = .string(name) }
        if tls.insecureSkipVerify { o["insecure-skip-verify"] = true }
        return .object(o)
    }

    /// The TLS settings of an undo record.
    static func journaled(_ value: JSONValue?) -> TLSConfig? {
        guard let value, case .object = value else { return nil }
        return TLSConfig(caFile: value["ca"]?.stringValue, certFile: value["cert"]?.stringValue, keyFile: value["key"]?.stringValue,
                         serverName: value["server-name"]?.stringValue, insecureSkipVerify: value["insecure-skip-verify"] == true)
    }

    /// Connects on a Redis thread.
    static func connect(_ p: DriverParams, timeout: Duration) async throws(RedisError) -> RedisConnection {
        let t: RedisTarget
        do { t = try target(p) } catch { throw RedisError(.connect, String(describing: error)) }
        let ms = Int32(max(100, min(timeout.seconds * 1000, 600_000)))
        return try await RedisThread.run { () throws(RedisError) in UncheckedBox(try RedisConnection(t, timeoutMs: ms)) }.value
    }
}

/// Carries a connection used by one task at a time across a thread hop.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
