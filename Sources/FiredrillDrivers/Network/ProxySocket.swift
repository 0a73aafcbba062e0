import CFiredrillSplice
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX socket calls the proxy makes, on resolved `sockaddr` bytes. Every call blocks; run them on a
/// dedicated thread, never on Swift's cooperative pool.
enum ProxySocket {
    #if canImport(Glibc)
    static let stream = Int32(SOCK_STREAM.rawValue)
    static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    static let stream = SOCK_STREAM
    static let noSignal: Int32 = 0
    #endif

    /// A resolved address: family and raw `sockaddr` bytes, with how people write it.
    struct Address: Sendable {
        var family: Int32
        var bytes: [UInt8]
        var display: String
    }

    /// Splits `host:port`, `[v6]:port` or `:port` (loopback) into host and port.
    static func split(_ text: String) -> (host: String, port: Int)? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let colon = trimmed.lastIndex(of: ":"), let port = Int(trimmed[trimmed.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(trimmed[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty { host = "127.0.0.1" }
        if host.contains(":") && !trimmed.hasPrefix("[") { return nil }
        return (host, port)
    }

    /// Resolves `host:port` (the first address `getaddrinfo` gives).
    static func resolve(host: String, port: Int) -> Result<Address, ProxyError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = stream
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list, let pointer = first.pointee.ai_addr else {
            return .failure(ProxyError("cannot resolve \(host): \(rc == 0 ? "no address" : String(cString: gai_strerror(rc)))"))
        }
        defer { freeaddrinfo(list) }
        let bytes = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(pointer), count: Int(first.pointee.ai_addrlen)))
        return .success(Address(family: first.pointee.ai_family, bytes: bytes, display: display(host: host, port: port)))
    }

    static func display(host: String, port: Int) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// A listening socket bound to `address`, non-blocking, close-on-exec.
    static func listen(_ address: Address) -> Result<Int32, ProxyError> {
        let fd = socket(address.family, stream, 0)
        guard fd >= 0 else { return .failure(ProxyError("socket: \(lastError())")) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let bound = address.bytes.withUnsafeBytes { raw in
            bind(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        guard bound == 0 else {
            let reason = lastError()
            close(fd)
            return .failure(ProxyError("cannot listen on \(address.display): \(reason)"))
        }
        guard Glibc.listen(fd, 1024) == 0 else {
            let reason = lastError()
            close(fd)
            return .failure(ProxyError("cannot listen on \(address.display): \(reason)"))
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return .success(fd)
    }

    /// The address a socket is bound to (the port the kernel chose for port 0).
    static func localAddress(_ fd: Int32, like address: Address) -> Address {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        } == 0
        guard ok else { return address }
        let bytes = withUnsafeBytes(of: &storage) { Array($0.prefix(Int(length))) }
        var host = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        var service = [CChar](repeating: 0, count: Int(NI_MAXSERV))
        let rc = bytes.withUnsafeBytes { raw in
            getnameinfo(raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), length, &host, socklen_t(host.count),
                        &service, socklen_t(service.count), NI_NUMERICHOST | NI_NUMERICSERV)
        }
        guard rc == 0 else { return address }
        let hostText = String(cString: host)
        return Address(family: address.family, bytes: bytes, display: display(host: hostText, port: Int(String(cString: service)) ?? 0))
    }

    /// Connects a blocking socket to `address`, giving up after `timeoutMs`.
    static func connect(_ address: Address, timeoutMs: Int32) -> Result<Int32, ProxyError> {
        let fd = socket(address.family, stream, 0)
        guard fd >= 0 else { return .failure(ProxyError("socket: \(lastError())")) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        let rc = address.bytes.withUnsafeBytes { raw in
            Glibc.connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
        }
        if rc != 0 {
            guard errno == EINPROGRESS else {
                let reason = lastError()
                close(fd)
                return .failure(ProxyError(reason))
            }
            var p = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            let ready = poll(&p, 1, timeoutMs)
            var soError: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
            guard ready == 1, soError == 0 else {
                close(fd)
                return .failure(ProxyError(ready == 0 ? "timed out" : String(cString: strerror(soError))))
            }
        }
        _ = fcntl(fd, F_SETFL, flags)
        noDelay(fd)
        return .success(fd)
    }

    /// Sends small writes at once: the proxy forwards what it read, it does not batch.
    static func noDelay(_ fd: Int32) {
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    static func setBlocking(_ fd: Int32, _ blocking: Bool) {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, blocking ? flags & ~O_NONBLOCK : flags | O_NONBLOCK)
    }

    /// Makes the next `close` send a reset instead of a FIN.
    static func lingerZero(_ fd: Int32) {
        var value = linger(l_onoff: 1, l_linger: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_LINGER, &value, socklen_t(MemoryLayout<linger>.size))
    }

    /// Writes every byte; false when the peer is gone.
    static func writeAll(_ fd: Int32, _ base: UnsafeRawPointer, _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let n = send(fd, base + offset, count - offset, noSignal)
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    static func lastError() -> String {
        String(cString: strerror(errno))
    }

    /// Nanoseconds on the monotonic clock.
    static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    /// Waits for `fd` to be readable for at most `nanos`; true when it is (or has hung up).
    static func waitReadable(_ fd: Int32, nanos: UInt64) -> Bool {
        firedrill_wait_readable(fd, nanos) > 0
    }

    /// A pump splicing into a socket whose peer is gone raises SIGPIPE (splice has no MSG_NOSIGNAL); blocked in
    /// the pump's thread it stays there and is dropped with it, while the EPIPE tells the pump.
    static func keepSIGPIPEFromThisThread() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    static func sleep(nanos: UInt64) {
        var ts = timespec(tv_sec: Int(nanos / 1_000_000_000), tv_nsec: Int(nanos % 1_000_000_000))
        var left = timespec()
        while nanosleep(&ts, &left) != 0 && errno == EINTR { ts = left }
    }
}
