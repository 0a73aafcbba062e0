import CCurl
import Foundation

/// Sends one request over and over on a single libcurl multi handle, on the calling thread: the traffic probe's
/// engine for what its built-in HTTP/1.1 client (`PlainHTTPLoadLoop`) does not send, such as `https`. Easy
/// handles are configured once (`CurlEasy.prepareForLoad`) and re-added after each transfer, so kept-alive
/// connections in the multi handle's cache carry the next request.
///
/// - Closed loop: `concurrency` transfers always in flight; a latency runs from the actual send.
/// - Open loop: the loop's share of a fixed `rate`. Request *k* is due at `start + k / rate` whatever the server
///   does, and its latency runs from that intended instant, so a stall shows in full in the percentiles
///   instead of holding the sender back (no coordinated omission). Due requests that find `maxInFlight`
///   transfers already running wait, still on their intended clock; the ones still unsent at the deadline are
///   reported as `.unsent`.
///
/// After the deadline no request starts and the ones in flight finish (each is bounded by the request's
/// timeout). `stop` ends the loop at once and drops whatever is in flight. Confined to one thread.
final class CurlLoadLoop {
    typealias Sink = (Duration, LoadOutcome, ContinuousClock.Instant) -> Void

    private let request: HTTPRequest
    private let maxInFlight: Int
    private let multi: UnsafeMutableRawPointer
    private var idle: [CurlEasy] = []
    private var active: [UnsafeMutableRawPointer: (easy: CurlEasy, intended: ContinuousClock.Instant)] = [:]
    private let clock = ContinuousClock()
    /// The sockets libcurl asked to be watched (socket callback), registered in `epollFD`.
    private var watched: Set<Int32> = []
    private let epollFD: Int32
    /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)` next (timer callback); nil for never.
    private var timerDue: ContinuousClock.Instant?

    /// `nil` when libcurl cannot make a multi handle.
    init?(request: HTTPRequest, maxInFlight: Int) {
        guard CurlEasy.globalInit == CURLE_OK, let multi = curl_multi_init() else { return nil }
        self.request = request
        self.maxInFlight = max(1, maxInFlight)
        self.multi = multi
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else {
            curl_multi_cleanup(multi)
            return nil
        }
        // Event-driven: libcurl says which sockets to watch and when its timers expire, and only the sockets
        // that are ready are serviced, instead of every transfer on every wake-up.
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = fd_curl_multi_setopt_socket(multi) { _, socket, what, userData, _ in
            Unmanaged<CurlLoadLoop>.fromOpaque(userData!).takeUnretainedValue().watch(socket, what)
            return 0
        }
        _ = fd_curl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        _ = fd_curl_multi_setopt_timer(multi) { _, milliseconds, userData in
            Unmanaged<CurlLoadLoop>.fromOpaque(userData!).takeUnretainedValue().setTimer(milliseconds)
            return 0
        }
        _ = fd_curl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
    }

    deinit {
        for (handle, _) in active { curl_multi_remove_handle(multi, handle) }
        active.removeAll()
        idle.removeAll()
        curl_multi_cleanup(multi)
        close(epollFD)
    }

    private func watch(_ socket: curl_socket_t, _ what: Int32) {
        let events: UInt32
        switch what {
        case CURL_POLL_IN: events = EPOLLIN.rawValue
        case CURL_POLL_OUT: events = EPOLLOUT.rawValue
        case CURL_POLL_INOUT: events = EPOLLIN.rawValue | EPOLLOUT.rawValue
        default:
            if watched.remove(socket) != nil { _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, socket, nil) }
            return
        }
        var event = epoll_event()
        event.events = events
        event.data.fd = socket
        let operation = watched.insert(socket).inserted ? EPOLL_CTL_ADD : EPOLL_CTL_MOD
        if epoll_ctl(epollFD, operation, socket, &event) != 0, errno == EEXIST {
            _ = epoll_ctl(epollFD, EPOLL_CTL_MOD, socket, &event)
        }
    }

    private func setTimer(_ milliseconds: Int) {
        timerDue = milliseconds < 0 ? nil : clock.now.advanced(by: .milliseconds(milliseconds))
    }

    /// Runs `schedule` from `start` until `deadline` (forever when nil) or `stop`, calling `sink` with each
    /// finished request's latency, outcome and the instant it finished, on this thread.
    func run(_ schedule: LoadSchedule, start: ContinuousClock.Instant, until deadline: ContinuousClock.Instant?,
             stop: FloodStopSignal, sink: Sink) -> LoadTotals {
        var totals = LoadTotals()
        var next = 0
        func intended(_ index: Int) -> ContinuousClock.Instant { schedule.intended(index, start: start) }
        func milliseconds(until instant: ContinuousClock.Instant) -> Int32 {
            Int32(max(0, min(100, (clock.now.duration(to: instant) / .milliseconds(1)).rounded(.up))))
        }
        var stopEvent = epoll_event()
        stopEvent.events = EPOLLIN.rawValue
        stopEvent.data.fd = stop.readFD
        _ = epoll_ctl(epollFD, EPOLL_CTL_ADD, stop.readFD, &stopEvent)
        defer { _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, stop.readFD, nil) }
        var events = [epoll_event](repeating: epoll_event(), count: 256)
        while !stop.isSignalled {
            let now = clock.now
            let sending = deadline.map { now < $0 } ?? true
            if sending {
                switch schedule {
                case .closed(let concurrency):
                    while active.count < min(concurrency, maxInFlight) {
                        guard launch(intended: clock.now, sink: sink) else { break }
                        totals.sent += 1
                    }
                case .open:
                    while active.count < maxInFlight, intended(next) <= now {
                        if launch(intended: intended(next), sink: sink) { totals.sent += 1 }
                        next += 1
                    }
                }
                totals.maxInFlight = max(totals.maxInFlight, active.count)
            } else if active.isEmpty {
                break
            }

            var waitMS: Int32 = 100
            if sending, case .open = schedule, active.count < maxInFlight { waitMS = milliseconds(until: intended(next)) }
            if sending, let deadline { waitMS = min(waitMS, milliseconds(until: deadline)) }
            if let timerDue { waitMS = min(waitMS, milliseconds(until: timerDue)) }
            let ready = epoll_wait(epollFD, &events, Int32(events.count), waitMS)
            if ready < 0 && errno != EINTR { break }

            var running: Int32 = 0
            for index in 0..<max(0, Int(ready)) where events[index].data.fd != stop.readFD {
                let happened = events[index].events
                var flags: Int32 = 0
                if happened & EPOLLIN.rawValue != 0 { flags |= CURL_CSELECT_IN }
                if happened & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
                if happened & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { flags |= CURL_CSELECT_ERR }
                curl_multi_socket_action(multi, events[index].data.fd, flags, &running)
            }
            if let due = timerDue, clock.now >= due {
                timerDue = nil
                curl_multi_socket_action(multi, Self.socketTimeout, 0, &running)
            }

            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let entry = active.removeValue(forKey: handle) else { continue }
                let finished = clock.now
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                switch entry.easy.loadOutcome(code, request: request) {
                case .success(let status): sink(entry.intended.duration(to: finished), .status(status), finished)
                case .failure(let error): sink(entry.intended.duration(to: finished), .failed(error), finished)
                }
                idle.append(entry.easy)
            }
        }
        if !stop.isSignalled, let deadline, case .open = schedule {
            while intended(next) < deadline {
                sink(intended(next).duration(to: deadline), .unsent, deadline)
                totals.unsent += 1
                next += 1
            }
        }
        for (handle, _) in active { curl_multi_remove_handle(multi, handle) }
        active.removeAll()
        return totals
    }

    /// `CURL_SOCKET_TIMEOUT`: "no socket, the timer expired".
    private static let socketTimeout: curl_socket_t = -1

    /// Starts one transfer on an idle (or new) handle; a handle that cannot be had is a failed request.
    private func launch(intended: ContinuousClock.Instant, sink: Sink) -> Bool {
        var easy = idle.popLast()
        if easy == nil, let fresh = CurlEasy() {
            if let problem = fresh.prepareForLoad(request) {
                sink(.zero, .failed(problem), intended)
                return false
            }
            easy = fresh
        }
        guard let easy else {
            sink(.zero, .failed(HTTPError(.other, request: request, detail: "libcurl could not create a handle")), intended)
            return false
        }
        let added = curl_multi_add_handle(multi, easy.easy)
        guard added == CURLM_OK else {
            idle.append(easy)
            sink(.zero, .failed(HTTPError(.other, request: request, detail: String(cString: curl_multi_strerror(added)))), intended)
            return false
        }
        active[easy.easy] = (easy, intended)
        return true
    }
}
