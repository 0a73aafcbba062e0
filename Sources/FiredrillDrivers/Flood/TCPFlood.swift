#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FiredrillCore

/// The socket work of `flood.tcp`: resolving the target, opening many connections with non-blocking connects
/// watched by `poll`, holding them while noticing the ones the server closes, and closing them all. Every call
/// blocks; run it on a `FloodThread`. Each call ends early when the `FloodStopSignal` fires.
struct TCPFlood: Sendable {
    /// The resolved target address, as raw `sockaddr` bytes.
    let family: Int32
    let address: [UInt8]
    let display: String

    /// What opening found.
    struct Opening: Sendable {
        var fds: [Int32] = []
        var refused = 0
        var failed = 0
        var timedOut = 0
        var seconds = 0.0
        /// The first error other than a refusal, in words.
        var firstError: String?
        /// The file-descriptor limit ran out before every connection was attempted.
        var hitFileLimit = false
    }

    /// What holding found.
    struct Holding: Sendable {
        var fds: [Int32]
        var dropped: Int
    }

    /// Connections opening at once at most, so the target's SYN backlog is not the thing being measured.
    static let maxInFlight = 512

    /// Resolves `host:port` (the first address `getaddrinfo` gives).
    static func resolve(host: String, port: Int) -> Result<TCPFlood, FloodError> {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Self.socketStream
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list, let sockaddrPointer = first.pointee.ai_addr else {
            let reason = rc == 0 ? "no address" : String(cString: gai_strerror(rc))
            return .failure(FloodError("cannot resolve \(host): \(reason)"))
        }
        defer { freeaddrinfo(list) }
        let bytes = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(sockaddrPointer), count: Int(first.pointee.ai_addrlen)))
        let display = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return .success(TCPFlood(family: first.pointee.ai_family, address: bytes, display: display))
    }

    /// Opens `count` connections, `rate` per second at most (as fast as possible when nil). A connection that
    /// has not completed after `connectTimeout` counts as timed out.
    func open(count: Int, rate: Double?, connectTimeout: Duration, stop: FloodStopSignal) -> Opening {
        var result = Opening()
        result.fds.reserveCapacity(count)
        var pending: [pollfd] = []
        var pendingSince: [ContinuousClock.Instant] = []
        let clock = ContinuousClock()
        let start = clock.now
        var attempted = 0
        while (attempted < count || !pending.isEmpty) && !stop.isSignalled {
            let allowed = rate.map { min(count, (start.duration(to: clock.now).seconds * $0).clampedInt &+ 1) } ?? count
            while attempted < allowed && pending.count < Self.maxInFlight && !result.hitFileLimit {
                attempted += 1
                let fd = socket(family, Self.socketStream, 0)
                guard fd >= 0 else {
                    let code = errno
                    result.failed += 1
                    if code == EMFILE || code == ENFILE {
                        result.hitFileLimit = true
                        result.failed += count - attempted
                        attempted = count
                    }
                    result.firstError = result.firstError ?? "socket: \(Self.describe(code))"
                    break
                }
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
                Self.disableSigpipe(fd)
                let rc = address.withUnsafeBytes { raw in
                    connect(fd, raw.baseAddress!.assumingMemoryBound(to: sockaddr.self), socklen_t(raw.count))
                }
                if rc == 0 {
                    result.fds.append(fd)
                } else if errno == EINPROGRESS {
                    pending.append(pollfd(fd: fd, events: Int16(POLLOUT), revents: 0))
                    pendingSince.append(clock.now)
                } else {
                    record(errno, into: &result)
                    close(fd)
                }
            }
            var waitMS: Int32 = 50
            if let rate, attempted < count, pending.count < Self.maxInFlight {
                let nextAt = Double(attempted) / rate
                let now = start.duration(to: clock.now).seconds
                waitMS = Int32(max(0, min(50, ((nextAt - now) * 1000).rounded(.up))))
            }
            if pending.isEmpty && waitMS == 0 { continue }
            var fds = pending + [pollfd(fd: stop.readFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, nfds_t(fds.count), waitMS)
            if ready < 0 && errno != EINTR { break }
            let now = clock.now
            var index = pending.count - 1
            while index >= 0 {
                let entry = fds[index]
                var finished = false
                if entry.revents != 0 {
                    var code: Int32 = 0
                    var length = socklen_t(MemoryLayout<Int32>.size)
                    getsockopt(entry.fd, SOL_SOCKET, SO_ERROR, &code, &length)
                    if code == 0 {
                        result.fds.append(entry.fd)
                    } else {
                        record(code, into: &result)
                        close(entry.fd)
                    }
                    finished = true
                } else if pendingSince[index].duration(to: now) > connectTimeout {
                    result.timedOut += 1
                    result.firstError = result.firstError ?? "connect timed out after \(connectTimeout)"
                    close(entry.fd)
                    finished = true
                }
                if finished {
                    pending.remove(at: index)
                    pendingSince.remove(at: index)
                }
                index -= 1
            }
        }
        for entry in pending { close(entry.fd) }
        result.seconds = start.duration(to: clock.now).seconds
        return result
    }

    /// Holds `fds` open for `duration`, reading and discarding whatever the server sends; a connection the
    /// server closes is closed here too and counted as dropped.
    func hold(_ fds: [Int32], for duration: Duration, stop: FloodStopSignal) -> Holding {
        var polled = fds.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
        polled.append(pollfd(fd: stop.readFD, events: Int16(POLLIN), revents: 0))
        var dropped = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while !stop.isSignalled {
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { break }
            let waitMS = Int32(max(1, min(200, (remaining.seconds * 1000).rounded(.up))))
            let ready = poll(&polled, nfds_t(polled.count), waitMS)
            if ready < 0 && errno != EINTR { break }
            guard ready > 0 else { continue }
            var index = polled.count - 2
            while index >= 0 {
                let entry = polled[index]
                if entry.revents != 0 {
                    let count = buffer.withUnsafeMutableBytes { recv(entry.fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    let gone = count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
                    if gone {
                        close(entry.fd)
                        polled.remove(at: index)
                        dropped += 1
                    } else {
                        polled[index].revents = 0
                    }
                }
                index -= 1
            }
        }
        return Holding(fds: polled.dropLast().map(\.fd), dropped: dropped)
    }

    static func closeAll(_ fds: [Int32]) {
        for fd in fds { close(fd) }
    }

    private func record(_ code: Int32, into result: inout Opening) {
        if code == ECONNREFUSED {
            result.refused += 1
        } else {
            result.failed += 1
            result.firstError = result.firstError ?? "connect: \(Self.describe(code))"
        }
    }

    static func describe(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    private static func disableSigpipe(_ fd: Int32) {
        #if canImport(Darwin)
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    #if canImport(Glibc)
    private static let socketStream = Int32(SOCK_STREAM.rawValue)
    #else
    private static let socketStream = SOCK_STREAM
    #endif
}
