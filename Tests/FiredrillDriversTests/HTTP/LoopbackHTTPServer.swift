#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import FiredrillTestSupport
import Foundation
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1 and a free port, for tests. Keep-alive, one thread per
/// connection. `stop()` closes everything and waits for its threads.
///
/// Routes:
/// - `/health` → 200 `{"status":"healthy","checks":{"db":"ok"}}`, `Content-Type: application/json`
/// - `/status/N` → status N
/// - `/slow?ms=N` → waits N ms (cut short by `stop()`), then 200
/// - `/big` → 3 MiB body
/// - `/redirect` → 302 to `/health`; `/redirect-loop` → 302 to itself
/// - `/echo` → 200, body lists the request line, headers and body; two `X-Multi` response headers
/// - `/metrics` → 200, the text set by `setMetrics(_:)` (empty at first), `Content-Type: text/plain; version=0.0.4`
///   (the Prometheus text exposition format)
/// - anything else → 404
/// The method, target and headers of the latest request are kept in `lastRequest`.
/// A connection whose first byte is not an ASCII letter (a TLS ClientHello, say) gets a 400 and is closed.
final class LoopbackHTTPServer: Sendable {
    static let bigBodySize = 3 << 20
    static let healthBody = #"{"status":"healthy","checks":{"db":"ok"}}"#

    var port: Int { listener.port }
    var baseURL: String { "http://127.0.0.1:\(port)" }

    private let listener: LoopbackListener

    private struct State {
        var requests = 0
        var metrics = ""
        var lastRequest: ReceivedRequest?
    }
    private let state = Mutex(State())

    /// Connections accepted so far.
    var acceptedConnections: Int { listener.acceptedConnections }
    /// Requests received so far (counted before the response is sent).
    var requestsServed: Int { state.withLock { $0.requests } }
    /// The latest request received (recorded before the response is sent).
    var lastRequest: ReceivedRequest? { state.withLock { $0.lastRequest } }

    /// What `/metrics` serves from now on.
    func setMetrics(_ text: String) {
        state.withLock { $0.metrics = text }
    }

    /// The head of one request as received.
    struct ReceivedRequest: Sendable {
        var method: String
        var target: String
        var headers: [HTTPHeaderLine]

        /// The value of the first header with this name (case-insensitive).
        func header(_ name: String) -> String? {
            headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    /// One request header as received.
    struct HTTPHeaderLine: Sendable {
        var name: String
        var value: String
    }

    init() throws {
        listener = try LoopbackListener()
        listener.start { [self] connection in serve(connection) }
    }

    /// Stops accepting, ends every connection, interrupts `/slow`, and waits (up to 5 s) for all
    /// server threads. Safe to call more than once.
    func stop() {
        listener.stop()
    }

    // MARK: - One connection

    private struct Request {
        var method: String
        var target: String
        var headers: [(String, String)]
        var body: [UInt8]

        func header(_ name: String) -> String? {
            headers.first { $0.0.caseInsensitiveCompare(name) == .orderedSame }?.1
        }
    }

    private func serve(_ fd: Int32) {
        var buffer: [UInt8] = []
        while true {
            guard let headerEnd = readUntilHeaderEnd(fd, &buffer) else { return }
            guard let first = buffer.first, (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else {
                send(fd, status: 400, body: Array("not HTTP".utf8), extraHeaders: ["Connection: close"], includeBody: true)
                return
            }
            guard var request = parseHead(Array(buffer[..<headerEnd])) else {
                send(fd, status: 400, body: Array("bad request".utf8), extraHeaders: ["Connection: close"], includeBody: true)
                return
            }
            buffer.removeFirst(headerEnd + 4)
            let bodyLength = Int(request.header("Content-Length") ?? "0") ?? 0
            while buffer.count < bodyLength {
                guard receive(fd, into: &buffer) else { return }
            }
            request.body = Array(buffer[..<bodyLength])
            buffer.removeFirst(bodyLength)

            let received = ReceivedRequest(method: request.method, target: request.target,
                                           headers: request.headers.map { HTTPHeaderLine(name: $0.0, value: $0.1) })
            state.withLock {
                $0.requests += 1
                $0.lastRequest = received
            }
            respond(fd, to: request)
            if request.header("Connection")?.lowercased() == "close" { return }
        }
    }

    /// Index of "\r\n\r\n" in `buffer`, reading more as needed; `nil` on EOF or error.
    private func readUntilHeaderEnd(_ fd: Int32, _ buffer: inout [UInt8]) -> Int? {
        var searchFrom = 0
        while true {
            if buffer.count >= 4 {
                for index in searchFrom...(buffer.count - 4)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    return index
                }
                searchFrom = buffer.count - 3
            }
            if let first = buffer.first, !(UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) { return 0 }
            guard buffer.count < 64 << 10, receive(fd, into: &buffer) else { return nil }
        }
    }

    private func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        let count = recv(fd, &chunk, chunk.count, 0)
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[..<count])
        return true
    }

    private func parseHead(_ bytes: [UInt8]) -> Request? {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines[0].split(separator: " ")
        guard parts.count == 3 else { return nil }
        var headers: [(String, String)] = []
        for line in lines.dropFirst() where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return Request(method: String(parts[0]), target: String(parts[1]), headers: headers, body: [])
    }

    private func respond(_ fd: Int32, to request: Request) {
        let includeBody = request.method != "HEAD"
        let components = URLComponents(string: request.target)
        let path = components?.path ?? request.target
        let query = Dictionary((components?.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })

        switch path {
        case "/health":
            send(fd, status: 200, body: Array(Self.healthBody.utf8), extraHeaders: ["Content-Type: application/json"], includeBody: includeBody)
        case let path where path.hasPrefix("/status/"):
            let code = Int(path.dropFirst("/status/".count)) ?? 500
            send(fd, status: code, body: Array("status \(code)".utf8), includeBody: includeBody)
        case "/slow":
            let milliseconds = Int32(query["ms"] ?? "0") ?? 0
            var stopFD = [pollfd(fd: listener.stopFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&stopFD, 1, milliseconds)
            send(fd, status: 200, body: Array("slept \(milliseconds) ms".utf8), includeBody: includeBody)
        case "/big":
            send(fd, status: 200, body: [UInt8](repeating: UInt8(ascii: "x"), count: Self.bigBodySize), includeBody: includeBody)
        case "/redirect":
            send(fd, status: 302, body: [], extraHeaders: ["Location: /health"], includeBody: includeBody)
        case "/redirect-loop":
            send(fd, status: 302, body: [], extraHeaders: ["Location: /redirect-loop"], includeBody: includeBody)
        case "/echo":
            var text = "\(request.method) \(request.target)\n"
            for (name, value) in request.headers { text += "\(name): \(value)\n" }
            text += "\n"
            send(fd, status: 200, body: Array(text.utf8) + request.body, extraHeaders: ["X-Multi: a", "X-Multi: b", "Content-Type: text/plain"], includeBody: includeBody)
        case "/metrics":
            let text = state.withLock { $0.metrics }
            send(fd, status: 200, body: Array(text.utf8), extraHeaders: ["Content-Type: text/plain; version=0.0.4"], includeBody: includeBody)
        default:
            send(fd, status: 404, body: Array("not found".utf8), includeBody: includeBody)
        }
    }

    private func send(_ fd: Int32, status: Int, body: [UInt8], extraHeaders: [String] = [], includeBody: Bool) {
        var head = "HTTP/1.1 \(status) \(Self.reason(status))\r\nContent-Length: \(body.count)\r\n"
        for header in extraHeaders { head += header + "\r\n" }
        head += "\r\n"
        var bytes = Array(head.utf8)
        if includeBody { bytes += body }
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { sendWithoutSignal(fd, $0.baseAddress, $0.count) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    private static func reason(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 302: "Found"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

#if canImport(Glibc)
private func sendWithoutSignal(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    Glibc.send(fd, bytes, count, Int32(MSG_NOSIGNAL))
}
#else
private func sendWithoutSignal(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int {
    Darwin.send(fd, bytes, count, 0)
}
#endif
