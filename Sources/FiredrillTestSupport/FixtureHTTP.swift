import Foundation

/// A minimal blocking HTTP/1.0 GET to 127.0.0.1, for fixtures that poll a server they started (readiness, an API
/// query). HTTP/1.0 keeps the answer simple to read: no chunked encoding, the server closes at the end.
enum FixtureHTTP {
    struct Response {
        var status: Int
        var body: String
    }

    /// Answers larger than this are cut (fixtures only read small JSON documents).
    static let maxBytes = 4 << 20

    /// GETs `path` (already percent-encoded) from 127.0.0.1:`port`; the whole exchange is bounded by `timeout`.
    static func get(port: Int, path: String, timeout: Duration = .seconds(2)) throws -> Response {
        let what = "GET http://127.0.0.1:\(port)\(path)"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PrometheusFixtureError.system(what: what, detail: String(cString: strerror(errno))) }
        defer { close(fd) }
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw PrometheusFixtureError.system(what: what, detail: String(cString: strerror(errno))) }

        let request = Array("GET \(path) HTTP/1.0\r\nHost: 127.0.0.1:\(port)\r\nAccept: */*\r\n\r\n".utf8)
        var offset = 0
        while offset < request.count {
            let sent = request[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw PrometheusFixtureError.system(what: what, detail: String(cString: strerror(errno))) }
            offset += sent
        }

        let deadline = ContinuousClock.now + timeout
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while bytes.count < maxBytes {
            let count = recv(fd, &chunk, chunk.count, 0)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR, ContinuousClock.now < deadline { continue }
                throw PrometheusFixtureError.system(what: what, detail: String(cString: strerror(errno)))
            }
            bytes += chunk[..<count]
            if ContinuousClock.now >= deadline {
                throw PrometheusFixtureError.system(what: what, detail: "no complete answer within \(timeout)")
            }
        }
        guard let headEnd = (0..<max(0, bytes.count - 3)).first(where: { bytes[$0..<$0 + 4].elementsEqual([13, 10, 13, 10]) }) else {
            throw PrometheusFixtureError.system(what: what, detail: "not an HTTP answer: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
        }
        let statusLine = String(decoding: bytes[..<headEnd].prefix { $0 != 13 }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, let status = Int(parts[1]) else {
            throw PrometheusFixtureError.system(what: what, detail: "bad status line `\(statusLine)`")
        }
        return Response(status: status, body: String(decoding: bytes[(headEnd + 4)...], as: UTF8.self))
    }
}
