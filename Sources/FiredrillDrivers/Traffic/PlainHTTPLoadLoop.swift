// Only for <sys/epoll.h>, which Glibc does not export to Swift; nothing of libcurl is used here.
import CCurl
import Foundation
import Glibc

/// The traffic probe's engine for plain `http://` requests: a built-in HTTP/1.1 keep-alive client on one epoll
/// set, on the calling thread. It does what wrk does: the request is serialised once (`PlainHTTPRequest`), each
/// send is one write of those bytes on a kept-alive connection, and the response is read with one read in the
/// common case and parsed only as far as framing needs (`HTTPResponseParser`). libcurl's per-transfer setup (URL
/// parsing, connection-cache lookup, header building, proxy lookup) cost about ten times wrk's CPU per request,
/// which capped the probe at about 60% of wrk's rate; requests this client cannot send faithfully stay on
/// `CurlLoadLoop`.
///
/// Same schedule, outcomes and timing as `CurlLoadLoop`:
/// - Closed loop: `concurrency` requests always in flight; a latency runs from the actual send.
/// - Open loop: request *k* is due at `start + k / rate` and its latency runs from that instant whatever the server
///   does (no coordinated omission); due requests that find `maxInFlight` requests running wait, still on their
///   intended clock, and the ones still unsent at the deadline are `.unsent`.
/// - Each request is bounded by the request's timeout from the moment it starts (libcurl's `CURLOPT_TIMEOUT`), its
///   connection by the connect timeout when one is given. After the deadline no request starts and the ones in
///   flight finish; `stop` ends the loop at once and drops whatever is in flight.
///
/// Connections: non-blocking, `TCP_NODELAY`, edge-triggered, to the address resolved at start (a host name is
/// resolved again when a connection is opened more than a minute later, as libcurl's DNS cache does). A connection
/// is kept while the server keeps it (HTTP/1.1 without `Connection: close`, HTTP/1.0 with `keep-alive`); a request
/// sent on a kept-alive connection that the server closed before answering a single byte is sent once more on a
/// fresh one, as libcurl and browsers do. Errors carry the kinds, and the wording, libcurl gives the same failure.
///
/// One clock read per wake-up serves every request finished or started in it. Confined to one thread.
final class PlainHTTPLoadLoop {
    typealias Sink = (Duration, LoadOutcome, ContinuousClock.Instant) -> Void

    private enum Phase { case closed, idle, connecting, sending, receiving }

    /// One connection slot; at most `maxInFlight` exist.
    private struct Connection {
        var fd: Int32 = -1
        var phase = Phase.closed
        var parser: HTTPResponseParser
        /// Has carried a complete response before, so a close before any response byte means it had gone stale.
        var reused = false
        var retried = false
        var address = 0
        var addressesTried = 0
        var intended: ContinuousClock.Instant
        /// When the current request started: the origin of its timeout.
        var started: ContinuousClock.Instant
        /// The timer in force: the connect deadline while connecting, the request's afterwards.
        var deadline: ContinuousClock.Instant
        /// Request bytes written so far.
        var written = 0
    }

    private struct Address {
        var storage: sockaddr_storage
        var length: socklen_t
        var family: Int32
    }

    /// How long a resolved host name is used before it is resolved again, like libcurl's DNS cache.
    static let resolutionLifetime = Duration.seconds(60)
    private static let readBufferSize = 64 << 10
    private static let stopToken = UInt64.max

    private let request: HTTPRequest
    private let plain: PlainHTTPRequest
    private let maxInFlight: Int
    private let epollFD: Int32
    private let clock = ContinuousClock()
    private let numericHost: Bool
    private var addresses: [Address]
    private var resolvedAt: ContinuousClock.Instant
    /// The address the last connection succeeded on; new connections try it first.
    private var preferred = 0
    private var connections: [Connection] = []
    private var idle: [Int] = []
    private var free: [Int] = []
    private var inFlight = 0
    /// No request times out before this (a lower bound: finished requests may have set it); nil for no timer.
    private var timerCheck: ContinuousClock.Instant?
    private let buffer: UnsafeMutableRawBufferPointer

    /// `nil` when the built-in client cannot send `request` as libcurl would (see `PlainHTTPRequest`), its host does
    /// not resolve (libcurl then reports the failure the usual way), or epoll is unavailable.
    init?(request: HTTPRequest, maxInFlight: Int) {
        guard let plain = PlainHTTPRequest(request), let addresses = Self.resolve(plain.host, plain.port) else { return nil }
        let epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { return nil }
        self.request = request
        self.plain = plain
        self.maxInFlight = max(1, maxInFlight)
        self.epollFD = epollFD
        self.addresses = addresses
        resolvedAt = clock.now
        var probe = in6_addr()
        numericHost = inet_pton(AF_INET, plain.host, &probe) == 1 || inet_pton(AF_INET6, plain.host, &probe) == 1
        buffer = .allocate(byteCount: Self.readBufferSize, alignment: 16)
    }

    deinit {
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
        close(epollFD)
        buffer.deallocate()
    }

    /// Runs `schedule` from `start` until `deadline` (forever when nil) or `stop`, calling `sink` with each
    /// finished request's latency, outcome and the instant it finished, on this thread.
    func run(_ schedule: LoadSchedule, start: ContinuousClock.Instant, until deadline: ContinuousClock.Instant?,
             stop: FloodStopSignal, sink: Sink) -> LoadTotals {
        var totals = LoadTotals()
        var next = 0
        var stopEvent = epoll_event()
        stopEvent.events = EPOLLIN.rawValue
        stopEvent.data.u64 = Self.stopToken
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, stop.readFD, &stopEvent)
        defer { _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, stop.readFD, nil) }
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        var now = clock.now
        while !stop.isSignalled {
            if let check = timerCheck, now >= check { expireTimers(now: now, sink: sink) }
            let sending = deadline.map { now < $0 } ?? true
            var again = false
            if sending {
                switch schedule {
                case .closed(let concurrency):
                    let target = min(concurrency, maxInFlight)
                    for _ in 0..<max(0, target - inFlight) {
                        launch(intended: now, now: now, sink: sink)
                        totals.sent += 1
                    }
                    // Requests that failed at once (refused on loopback) are replaced without sleeping.
                    again = inFlight < target
                case .open:
                    while inFlight < maxInFlight {
                        let due = schedule.intended(next, start: start)
                        guard due <= now else { break }
                        launch(intended: due, now: now, sink: sink)
                        totals.sent += 1
                        next += 1
                    }
                }
                totals.maxInFlight = max(totals.maxInFlight, inFlight)
            } else if inFlight == 0 {
                break
            }

            var wait = Duration.milliseconds(100)
            if sending, case .open = schedule, inFlight < maxInFlight { wait = min(wait, now.duration(to: schedule.intended(next, start: start))) }
            if sending, let deadline { wait = min(wait, now.duration(to: deadline)) }
            if let timerCheck { wait = min(wait, now.duration(to: timerCheck)) }
            let milliseconds = again ? 0 : Int32(max(0, (wait / .milliseconds(1)).rounded(.up)))
            let ready = epoll_wait(epollFD, &events, Int32(events.count), milliseconds)
            now = clock.now
            if ready < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(ready)) where events[index].data.u64 != Self.stopToken {
                let token = events[index].data.u64
                let slot = Int(token & 0xFFFF_FFFF)
                // An event for a socket this slot no longer has (closed earlier in this batch) is stale.
                guard slot < connections.count, connections[slot].fd == Int32(truncatingIfNeeded: token >> 32) else { continue }
                handle(slot, events: events[index].events, now: now, sink: sink)
            }
        }
        if !stop.isSignalled, let deadline, case .open = schedule {
            while schedule.intended(next, start: start) < deadline {
                sink(schedule.intended(next, start: start).duration(to: deadline), .unsent, deadline)
                totals.unsent += 1
                next += 1
            }
        }
        for slot in connections.indices where connections[slot].fd >= 0 { drop(slot) }
        connections.removeAll()
        idle.removeAll()
        free.removeAll()
        inFlight = 0
        timerCheck = nil
        return totals
    }

    // MARK: - Requests

    /// Starts one request on an idle connection, or on a new one.
    private func launch(intended: ContinuousClock.Instant, now: ContinuousClock.Instant, sink: Sink) {
        inFlight += 1
        let reusing = !idle.isEmpty
        let slot: Int
        if let kept = idle.popLast() {
            slot = kept
        } else if let empty = free.popLast() {
            slot = empty
        } else {
            slot = connections.count
            connections.append(Connection(parser: HTTPResponseParser(isHead: plain.isHead), intended: now, started: now, deadline: now))
        }
        connections[slot].intended = intended
        connections[slot].started = now
        connections[slot].retried = false
        connections[slot].written = 0
        connections[slot].parser.reset()
        if reusing {
            connections[slot].phase = .sending
            setDeadline(slot, now + request.timeout)
            send(slot, now: now, sink: sink)
        } else {
            connections[slot].reused = false
            connect(slot, now: now, sink: sink, first: true)
        }
    }

    private func setDeadline(_ slot: Int, _ deadline: ContinuousClock.Instant) {
        connections[slot].deadline = deadline
        if timerCheck.map({ deadline < $0 }) ?? true { timerCheck = deadline }
    }

    private func expireTimers(now: ContinuousClock.Instant, sink: Sink) {
        var earliest: ContinuousClock.Instant?
        for slot in connections.indices {
            switch connections[slot].phase {
            case .closed, .idle: continue
            case .connecting, .sending, .receiving: break
            }
            let deadline = connections[slot].deadline
            if deadline <= now {
                let elapsed = Int((connections[slot].started.duration(to: now) / .milliseconds(1)).rounded(.down))
                let detail = connections[slot].phase == .connecting
                    ? "Connection timed out after \(elapsed) milliseconds"
                    : "Operation timed out after \(elapsed) milliseconds with \(connections[slot].parser.received) bytes received"
                fail(slot, .timeout, detail, now: now, sink: sink)
            } else if earliest.map({ deadline < $0 }) ?? true {
                earliest = deadline
            }
        }
        timerCheck = earliest
    }

    /// Ends the request on `slot` with `outcome`; the connection is kept for the next one when `keep`.
    private func finish(_ slot: Int, _ outcome: LoadOutcome, keep: Bool, now: ContinuousClock.Instant, sink: Sink) {
        inFlight -= 1
        if keep {
            connections[slot].phase = .idle
            connections[slot].reused = true
            idle.append(slot)
        } else {
            drop(slot)
            free.append(slot)
        }
        sink(connections[slot].intended.duration(to: now), outcome, now)
    }

    private func fail(_ slot: Int, _ kind: HTTPError.Kind, _ detail: String, now: ContinuousClock.Instant, sink: Sink) {
        finish(slot, .failed(HTTPError(kind, request: request, detail: detail)), keep: false, now: now, sink: sink)
    }

    /// Closes the slot's socket (which also takes it out of the epoll set).
    private func drop(_ slot: Int) {
        if connections[slot].fd >= 0 { close(connections[slot].fd) }
        connections[slot].fd = -1
        connections[slot].phase = .closed
    }

    /// The server closed a kept-alive connection before answering this request: once per request, it goes again on
    /// a fresh connection; `false` when it already did, or the connection was new.
    private func retried(_ slot: Int, now: ContinuousClock.Instant, sink: Sink) -> Bool {
        guard connections[slot].reused, !connections[slot].retried, connections[slot].parser.received == 0 else { return false }
        drop(slot)
        connections[slot].retried = true
        connections[slot].reused = false
        connections[slot].written = 0
        connections[slot].parser.reset()
        connect(slot, now: now, sink: sink, first: true)
        return true
    }

    // MARK: - Events

    private func handle(_ slot: Int, events: UInt32, now: ContinuousClock.Instant, sink: Sink) {
        switch connections[slot].phase {
        case .closed:
            return
        case .connecting:
            var code: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            if getsockopt(connections[slot].fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
            if code == 0 {
                guard events & (EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 else { return }
                preferred = connections[slot].address
                connections[slot].phase = .sending
                setDeadline(slot, connections[slot].started + request.timeout)
                send(slot, now: now, sink: sink)
            } else {
                connectFailed(slot, code, now: now, sink: sink)
            }
        case .sending:
            if events & EPOLLOUT.rawValue != 0 { send(slot, now: now, sink: sink) }
            if connections[slot].phase != .closed, events & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 {
                receive(slot, closing: events & (EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0, now: now, sink: sink)
            }
        case .idle, .receiving:
            if events & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0 {
                receive(slot, closing: events & (EPOLLHUP.rawValue | EPOLLRDHUP.rawValue) != 0, now: now, sink: sink)
            }
        }
    }

    /// Writes what is left of the request; edge-triggered, so a partial write waits for the next `EPOLLOUT`.
    private func send(_ slot: Int, now: ContinuousClock.Instant, sink: Sink) {
        let fd = connections[slot].fd
        let offset = connections[slot].written
        let count = plain.bytes.withUnsafeBytes { bytes in
            Glibc.send(fd, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
        }
        if count >= 0 {
            connections[slot].written += count
            if connections[slot].written == plain.bytes.count { connections[slot].phase = .receiving }
            return
        }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK || code == EINTR { return }
        if !retried(slot, now: now, sink: sink) {
            fail(slot, .other, "Send failure: \(String(cString: strerror(code)))", now: now, sink: sink)
        }
    }

    /// Reads what arrived until the response is complete or the socket is empty (edge-triggered); `closing` when
    /// the event said the server already closed its side.
    private func receive(_ slot: Int, closing: Bool, now: ContinuousClock.Instant, sink: Sink) {
        while true {
            let fd = connections[slot].fd
            let count = recv(fd, buffer.baseAddress, buffer.count, 0)
            if count < 0 {
                let code = errno
                if code == EAGAIN || code == EWOULDBLOCK { return }
                if code == EINTR { continue }
                if connections[slot].phase == .idle {
                    drop(slot)
                    idle.removeAll { $0 == slot }
                    free.append(slot)
                } else if !retried(slot, now: now, sink: sink) {
                    fail(slot, .other, "Recv failure: \(String(cString: strerror(code)))", now: now, sink: sink)
                }
                return
            }
            if connections[slot].phase == .idle {
                // The server closed a kept-alive connection, or sent something nobody asked for: either way it
                // cannot carry the next request.
                drop(slot)
                idle.removeAll { $0 == slot }
                free.append(slot)
                return
            }
            if count == 0 {
                switch connections[slot].parser.end() {
                case .complete(let status, _, _):
                    finish(slot, .status(status), keep: false, now: now, sink: sink)
                case .failed(let detail):
                    if !retried(slot, now: now, sink: sink) { fail(slot, .other, detail, now: now, sink: sink) }
                case .needMore:
                    fail(slot, .other, "connection closed before the response ended", now: now, sink: sink)
                }
                return
            }
            switch connections[slot].parser.parse(UnsafeRawBufferPointer(rebasing: buffer[..<count])) {
            case .needMore:
                // Read on until the socket is empty: edge-triggered, a close that came with this data would
                // otherwise never be seen.
                continue
            case .complete(let status, let keepAlive, let consumed):
                // Bytes past the response, a request not yet fully written, or a close already signalled leave the
                // connection unusable.
                let keep = keepAlive && consumed == count && connections[slot].phase == .receiving && !plain.closesConnection
                    && !closing
                finish(slot, .status(status), keep: keep, now: now, sink: sink)
                return
            case .failed(let detail):
                fail(slot, .other, detail, now: now, sink: sink)
                return
            }
        }
    }

    // MARK: - Connecting

    /// Opens a socket to the next address to try and starts connecting; `first` starts from the preferred address.
    private func connect(_ slot: Int, now: ContinuousClock.Instant, sink: Sink, first: Bool) {
        if first {
            if !numericHost, resolvedAt.duration(to: now) >= Self.resolutionLifetime {
                guard let fresh = Self.resolve(plain.host, plain.port) else {
                    fail(slot, .dnsFailure, "Could not resolve host: \(plain.host)", now: now, sink: sink)
                    return
                }
                addresses = fresh
                resolvedAt = now
                preferred = 0
            }
            connections[slot].address = min(preferred, addresses.count - 1)
            connections[slot].addressesTried = 0
        } else {
            connections[slot].address = (connections[slot].address + 1) % addresses.count
        }
        connections[slot].addressesTried += 1
        var address = addresses[connections[slot].address]
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            fail(slot, .other, "Could not create a socket: \(String(cString: strerror(errno)))", now: now, sink: sink)
            return
        }
        var yes: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &yes, socklen_t(MemoryLayout<Int32>.size))
        connections[slot].fd = fd
        connections[slot].phase = .connecting
        let connectLimit = request.connectTimeout ?? request.timeout
        setDeadline(slot, min(connections[slot].started + request.timeout, now + connectLimit))

        var event = epoll_event()
        event.events = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        event.data.u64 = UInt64(slot) | UInt64(UInt32(bitPattern: fd)) << 32
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else {
            fail(slot, .other, "epoll_ctl: \(String(cString: strerror(errno)))", now: now, sink: sink)
            return
        }
        let result = withUnsafePointer(to: &address.storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, address.length) }
        }
        if result == 0 {
            preferred = connections[slot].address
            connections[slot].phase = .sending
            setDeadline(slot, connections[slot].started + request.timeout)
            send(slot, now: now, sink: sink)
        } else if errno != EINPROGRESS {
            connectFailed(slot, errno, now: now, sink: sink)
        }
    }

    /// The connection could not be made: the next resolved address is tried, and after the last the request fails
    /// as libcurl words it ("connection refused" only for a refusal).
    private func connectFailed(_ slot: Int, _ code: Int32, now: ContinuousClock.Instant, sink: Sink) {
        drop(slot)
        if connections[slot].addressesTried < addresses.count {
            connect(slot, now: now, sink: sink, first: false)
            return
        }
        let elapsed = Int((connections[slot].started.duration(to: now) / .milliseconds(1)).rounded(.down))
        fail(slot, code == ECONNREFUSED ? .connectionRefused : .other,
             "Failed to connect to \(plain.host) port \(plain.port) after \(elapsed) ms: Couldn't connect to server", now: now, sink: sink)
    }

    /// Every address of `host`, in the order the resolver prefers; `nil` when it does not resolve.
    private static func resolve(_ host: String, _ port: Int) -> [Address]? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0 else { return nil }
        defer { freeaddrinfo(list) }
        var addresses: [Address] = []
        var entry = list
        while let current = entry {
            if let source = current.pointee.ai_addr, Int(current.pointee.ai_addrlen) <= MemoryLayout<sockaddr_storage>.size {
                var storage = sockaddr_storage()
                withUnsafeMutableBytes(of: &storage) { $0.copyMemory(from: UnsafeRawBufferPointer(start: source, count: Int(current.pointee.ai_addrlen))) }
                addresses.append(Address(storage: storage, length: current.pointee.ai_addrlen, family: current.pointee.ai_family))
            }
            entry = current.pointee.ai_next
        }
        return addresses.isEmpty ? nil : addresses
    }
}
