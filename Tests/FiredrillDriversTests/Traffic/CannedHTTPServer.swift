import Foundation
import Synchronization

/// A server on 127.0.0.1 that answers every request head with the same canned bytes, for the framing and
/// connection cases the loopback server does not produce: a close after each response, HTTP/1.0, chunked
/// bodies, a connection dropped after some number of answers, or no answer at all. One thread per connection;
/// requests are taken to end at their blank line (the load loops send no body on GET). `stop()` closes everything.
final class CannedHTTPServer: Sendable {
    let port: Int
    var url: String { "http://127.0.0.1:\(port)/canned" }

    /// What to send for each request.
    let response: [UInt8]
    /// Close the connection after each response (as a server must when the body runs to the close).
    let closeAfterResponse: Bool
    /// Answers per connection at most; the request after that finds the connection closed, unanswered. `nil` for
    /// no limit, 0 to answer nothing and close, -1 to answer nothing and keep the connection open (a hung server).
    let answersPerConnection: Int?

    private let listenFD: Int32
    private struct State {
        var accepted = 0
        var answered = 0
        var connections: Set<Int32> = []
        var stopped = false
    }
    private let state = Mutex(State())
    private let threads = DispatchGroup()

    var acceptedConnections: Int { state.withLock { $0.accepted } }
    var requestsAnswered: Int { state.withLock { $0.answered } }

    init(_ response: String, closeAfterResponse: Bool = false, answersPerConnection: Int? = nil) throws {
        self.response = Array(response.utf8)
        self.closeAfterResponse = closeAfterResponse
        self.answersPerConnection = answersPerConnection
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard fd >= 0, bound, listen(fd, 128) == 0 else {
            if fd >= 0 { close(fd) }
            throw ServerError("bind/listen", errno)
        }
        listenFD = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        threads.enter()
        Thread { [self] in
            acceptLoop()
            threads.leave()
        }.start()
    }

    deinit { stop() }

    /// Stops accepting, ends every connection and waits (up to 5 s) for the server's threads.
    func stop() {
        let connections: Set<Int32>? = state.withLock { state in
            guard !state.stopped else { return nil }
            state.stopped = true
            return state.connections
        }
        guard let connections else { return }
        shutdown(listenFD, Int32(SHUT_RDWR))
        for fd in connections { shutdown(fd, Int32(SHUT_RDWR)) }
        _ = threads.wait(timeout: .now() + 5)
        close(listenFD)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else {
                if errno == EINTR { continue }
                return
            }
            let admitted = state.withLock { state in
                guard !state.stopped else { return false }
                state.accepted += 1
                state.connections.insert(fd)
                return true
            }
            guard admitted else {
                close(fd)
                return
            }
            threads.enter()
            Thread { [self] in
                serve(fd)
                state.withLock { _ = $0.connections.remove(fd) }
                close(fd)
                threads.leave()
            }.start()
        }
    }

    private func serve(_ fd: Int32) {
        var pending: [UInt8] = []
        var answers = 0
        var chunk = [UInt8](repeating: 0, count: 16 << 10)
        while true {
            while !Self.hasHead(pending) {
                let count = recv(fd, &chunk, chunk.count, 0)
                guard count > 0 else { return }
                pending += chunk[..<count]
            }
            pending.removeFirst(Self.headEnd(pending)! + 4)
            if let limit = answersPerConnection {
                if limit < 0 { continue }
                if answers >= limit { return }
            }
            answers += 1
            state.withLock { $0.answered += 1 }
            var offset = 0
            while offset < response.count {
                let sent = response[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard sent > 0 else { return }
                offset += sent
            }
            if closeAfterResponse { return }
        }
    }

    private static func hasHead(_ bytes: [UInt8]) -> Bool { headEnd(bytes) != nil }

    private static func headEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        return (0...(bytes.count - 4)).first { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }
    }
}
