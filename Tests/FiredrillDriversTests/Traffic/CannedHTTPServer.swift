import FiredrillTestSupport
import Foundation
import Synchronization

/// A server on 127.0.0.1 that answers every request head with the same canned bytes, for the framing and
/// connection cases the loopback server does not produce: a close after each response, HTTP/1.0, chunked
/// bodies, a connection dropped after some number of answers, or no answer at all. One thread per connection;
/// requests are taken to end at their blank line (the load loops send no body on GET). `stop()` closes everything.
final class CannedHTTPServer: Sendable {
    var port: Int { listener.port }
    var url: String { "http://127.0.0.1:\(port)/canned" }

    /// What to send for each request.
    let response: [UInt8]
    /// Close the connection after each response (as a server must when the body runs to the close).
    let closeAfterResponse: Bool
    /// Answers per connection at most; the request after that finds the connection closed, unanswered. `nil` for
    /// no limit, 0 to answer nothing and close, -1 to answer nothing and keep the connection open (a hung server).
    let answersPerConnection: Int?

    private let listener: LoopbackListener
    private let answered = Mutex(0)

    var acceptedConnections: Int { listener.acceptedConnections }
    var requestsAnswered: Int { answered.withLock { $0 } }

    init(_ response: String, closeAfterResponse: Bool = false, answersPerConnection: Int? = nil) throws {
        self.response = Array(response.utf8)
        self.closeAfterResponse = closeAfterResponse
        self.answersPerConnection = answersPerConnection
        listener = try LoopbackListener()
        listener.start { [self] connection in serve(connection) }
    }

    /// Stops accepting, ends every connection and waits (up to 5 s) for the server's threads.
    func stop() {
        listener.stop()
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
            answered.withLock { $0 += 1 }
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
