#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A blocking TCP client to 127.0.0.1 for tests, with every wait bounded.
public final class LoopbackClient: @unchecked Sendable {
    public let fd: Int32

    /// What a bounded read ended with.
    public enum ReadEnd: Equatable, Sendable {
        case complete
        case closed
        case reset
        case timedOut
        case failed(Int32)
    }

    /// Connects to 127.0.0.1:`port`; nil when the connection is refused or fails.
    public init?(port: Int) {
        guard let fd = Self.connectedSocket(port: port) else { return nil }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        self.fd = fd
    }

    /// A blocking socket connected to 127.0.0.1:`port`, owned by the caller; nil when refused or failed.
    static func connectedSocket(port: Int) -> Int32? {
        let fd = socket(AF_INET, socketStream, 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    deinit { close(fd) }

    /// Sends every byte; false when the peer is gone.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// Reads until `count` bytes arrived, the peer closed or reset, or `timeoutMs` passed in total.
    public func read(_ count: Int, timeoutMs: Int) -> (bytes: [UInt8], end: ReadEnd) {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let deadline = Self.nowMs() + timeoutMs
        while out.count < count {
            let left = deadline - Self.nowMs()
            if left <= 0 { return (out, .timedOut) }
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, Int32(left))
            if ready == 0 { return (out, .timedOut) }
            let n = recv(fd, &buffer, min(buffer.count, count - out.count), 0)
            if n == 0 { return (out, .closed) }
            if n < 0 {
                if errno == EINTR { continue }
                return (out, errno == ECONNRESET ? .reset : .failed(errno))
            }
            out.append(contentsOf: buffer[0..<n])
        }
        return (out, .complete)
    }

    /// Sends `bytes` and reads them back from an echo server; the round trip in seconds, nil when it failed.
    public func roundTrip(_ bytes: [UInt8], timeoutMs: Int = 10_000) -> Double? {
        let start = Self.nowNanos()
        guard send(bytes) else { return nil }
        let (back, end) = read(bytes.count, timeoutMs: timeoutMs)
        guard end == .complete, back == bytes else { return nil }
        return Double(Self.nowNanos() - start) / 1e9
    }

    static func nowMs() -> Int { Int(nowNanos() / 1_000_000) }

    static func nowNanos() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
