#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking connection to a Redis server speaking RESP2 over TCP, with every read and write bounded by
/// `timeoutMs`. Run it on a dedicated thread (`RedisThread`), never on Swift's cooperative pool.
final class RedisConnection {
    private let fd: Int32
    /// The TLS session over `fd`, when the plan asked for TLS.
    private var tls: TLSStream?
    /// Whether the server sent anything yet: a plain-text client on a TLS port is closed on before any reply.
    private var answered = false
    private var buffer: [UInt8] = []
    private var position = 0
    let display: String

    /// Connects to `host:port`, with `tls` completes a TLS handshake (verifying the server unless told not to), and,
    /// with a password, authenticates (`AUTH [username] password`).
    convenience init(_ target: RedisTarget, timeoutMs: Int32) throws(RedisError) {
        try self.init(host: target.host, port: target.port, username: target.username, password: target.password, tls: target.tls, timeoutMs: timeoutMs)
    }

    init(host: String, port: Int, username: String?, password: String?, tls: TLSConfig? = nil, timeoutMs: Int32) throws(RedisError) {
        display = ProxySocket.display(host: host, port: port)
        let address: ProxySocket.Address
        switch ProxySocket.resolve(host: host, port: port) {
        case .success(let a): address = a
        case .failure(let e): throw RedisError(.connect, e.description)
        }
        switch ProxySocket.connect(address, timeoutMs: timeoutMs) {
        case .success(let fd): self.fd = fd
        case .failure(let e): throw RedisError(.connect, "cannot connect to \(display): \(e.description)")
        }
        if let tls {
            do { self.tls = try TLSStream(fd: fd, host: host, display: display, config: tls, timeoutMs: timeoutMs) } catch {
                Glibc.close(fd)
                throw RedisError(.connect, error.description)
            }
        }
        var tv = timeval(tv_sec: Int(timeoutMs / 1000), tv_usec: Int(timeoutMs % 1000) * 1000)
        _ = setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if let password {
            let reply = try command(username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
            if case .error(let message) = reply { throw RedisError(.auth, "AUTH refused by \(display): \(message)") }
        }
    }

    deinit {
        tls?.shutdown()
        tls = nil
        close(fd)
    }

    /// `TLSv1.3 TLS_AES_256_GCM_SHA384`, or nil over plain TCP.
    var negotiated: String? { tls?.negotiated }

    /// Sends one command and reads its reply. A server error comes back as `.error`, not thrown.
    func command(_ argv: [String]) throws(RedisError) -> RESPValue {
        let bytes = RESPValue.encode(argv)
        if let tls {
            do { try tls.write(bytes) } catch {
                throw RedisError(error.kind == .timeout ? .timeout : .io, error.description)
            }
            return try readValue()
        }
        guard bytes.withUnsafeBytes({ ProxySocket.writeAll(fd, $0.baseAddress!, $0.count) }) else {
            throw RedisError(.io, "\(display): write failed: \(ProxySocket.lastError())")
        }
        return try readValue()
    }

    /// Sends one command; a server error is thrown with the command's name.
    func expect(_ argv: [String]) throws(RedisError) -> RESPValue {
        let reply = try command(argv)
        if case .error(let message) = reply { throw RedisError(.server, "\(argv.first ?? "") on \(display): \(message)") }
        return reply
    }

    private func readValue() throws(RedisError) -> RESPValue {
        let line = try readLine()
        guard let kind = line.first else { throw RedisError(.protocol, "\(display): empty reply line") }
        let rest = String(decoding: line.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "+"): return .simple(rest)
        case UInt8(ascii: "-"): return .error(rest)
        case UInt8(ascii: ":"):
            guard let n = Int64(rest) else { throw RedisError(.protocol, "\(display): bad integer reply `\(rest)`") }
            return .integer(n)
        case UInt8(ascii: "$"):
            guard let n = Int(rest), n >= -1, n <= 512 * 1024 * 1024 else { throw RedisError(.protocol, "\(display): bad bulk length `\(rest)`") }
            if n == -1 { return .bulk(nil) }
            let bytes = try readExactly(n + 2)
            return .bulk(Array(bytes.prefix(n)))
        case UInt8(ascii: "*"):
            guard let n = Int(rest), n >= -1, n <= 1_000_000 else { throw RedisError(.protocol, "\(display): bad array length `\(rest)`") }
            if n == -1 { return .array(nil) }
            var items: [RESPValue] = []
            for _ in 0..<n { items.append(try readValue()) }
            return .array(items)
        default:
            throw RedisError(.protocol, "\(display): not a Redis reply (starts with byte \(kind))")
        }
    }

    private func fill() throws(RedisError) {
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        let n: Int
        if let tls {
            do { n = try tls.read(into: &chunk) } catch {
                throw RedisError(error.kind == .timeout ? .timeout : .io, error.description)
            }
        } else {
            n = recv(fd, &chunk, chunk.count, 0)
        }
        if !answered, tls == nil, n == 0 || (n < 0 && errno == ECONNRESET) {
            throw RedisError(.io, "\(display) closed the connection without answering (if the server only speaks TLS on this port, set `tls`)")
        }
        if n == 0 { throw RedisError(.io, "\(display) closed the connection") }
        if n < 0 {
            if errno == EAGAIN || errno == EWOULDBLOCK { throw RedisError(.timeout, "\(display) did not answer in time") }
            throw RedisError(.io, "\(display): read failed: \(ProxySocket.lastError())")
        }
        answered = true
        buffer += chunk[0..<n]
    }

    private func readLine() throws(RedisError) -> ArraySlice<UInt8> {
        while true {
            if let cr = buffer[position...].firstIndex(of: 13), cr + 1 < buffer.count, buffer[cr + 1] == 10 {
                let line = buffer[position..<cr]
                position = cr + 2
                return line
            }
            if buffer.count - position > 64 * 1024 { throw RedisError(.protocol, "\(display): reply line too long") }
            try fill()
        }
    }

    private func readExactly(_ count: Int) throws(RedisError) -> ArraySlice<UInt8> {
        while buffer.count - position < count { try fill() }
        let out = buffer[position..<(position + count)]
        position += count
        return out
    }
}
