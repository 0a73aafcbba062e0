#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A TCP echo server on 127.0.0.1 and a free port: every byte a client sends comes back. It counts what it
/// received, so a test can tell bytes that reached it from bytes that did not.
public final class EchoServer: Sendable {
    private let listener: LoopbackListener
    private final class Count: Sendable {
        let value = Atomic<Int>(0)
    }

    private let received = Count()

    public var port: Int { listener.port }
    /// Bytes received from every client so far.
    public var bytesReceived: Int { received.value.load(ordering: .acquiring) }
    public var acceptedConnections: Int { listener.acceptedConnections }

    public init() throws {
        listener = try LoopbackListener()
        let received = self.received
        listener.start { fd in
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = recv(fd, &buffer, buffer.count, 0)
                if n <= 0 { return }
                received.value.add(n, ordering: .relaxed)
                var offset = 0
                while offset < n {
                    let sent = buffer.withUnsafeBytes { send(fd, $0.baseAddress! + offset, n - offset, Int32(MSG_NOSIGNAL)) }
                    if sent <= 0 { return }
                    offset += sent
                }
            }
        }
    }

    public func stop() { listener.stop() }
}
