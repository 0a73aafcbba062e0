import CCurl
import Foundation

/// Sends one request over and over on a single libcurl multi handle, on the calling thread: the engine of the
/// traffic probe. Easy handles are configured once (`CurlEasy.prepareForLoad`) and re-added after each
/// transfer, so kept-alive connections in the multi handle's cache carry the next request.
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
    enum Schedule: Sendable {
        case closed(concurrency: Int)
        /// Of the requests due at `rate` per second overall, this loop sends numbers `phase`, `phase + stride`…
        case open(rate: Double, phase: Int, stride: Int)
    }

    enum Outcome {
        case status(Int)
        case failed(HTTPError)
        /// Due before the deadline but never sent: every connection allowed was busy.
        case unsent
    }

    /// What one loop did; its samples went to the sink as they finished.
    struct Totals: Sendable {
        var sent = 0
        var unsent = 0
        var maxInFlight = 0
    }

    private let request: HTTPRequest
    private let maxInFlight: Int
    private let multi: UnsafeMutableRawPointer
    private var idle: [CurlEasy] = []
    private var active: [UnsafeMutableRawPointer: (easy: CurlEasy, intended: ContinuousClock.Instant)] = [:]
    private let clock = ContinuousClock()

    /// `nil` when libcurl cannot make a multi handle.
    init?(request: HTTPRequest, maxInFlight: Int) {
        guard CurlEasy.globalInit == CURLE_OK, let multi = curl_multi_init() else { return nil }
        self.request = request
        self.maxInFlight = max(1, maxInFlight)
        self.multi = multi
    }

    deinit {
        for (handle, _) in active { curl_multi_remove_handle(multi, handle) }
        active.removeAll()
        idle.removeAll()
        curl_multi_cleanup(multi)
    }

    /// Runs `schedule` from `start` until `deadline` (forever when nil) or `stop`, calling `sink` with each
    /// finished request's latency and outcome, on this thread.
    func run(_ schedule: Schedule, start: ContinuousClock.Instant, until deadline: ContinuousClock.Instant?,
             stop: FloodStopSignal, sink: (Duration, Outcome) -> Void) -> Totals {
        var totals = Totals()
        var next = 0
        func intended(_ index: Int) -> ContinuousClock.Instant {
            guard case .open(let rate, let phase, let stride) = schedule else { return start }
            return start + .seconds(Double(index * stride + phase) / rate)
        }
        var waitFD = curl_waitfd(fd: stop.readFD, events: Int16(CURL_WAIT_POLLIN), revents: 0)
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

            var running: Int32 = 0
            guard curl_multi_perform(multi, &running) == CURLM_OK else { break }
            var queued: Int32 = 0
            var finishedAny = false
            while let message = curl_multi_info_read(multi, &queued) {
                guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                      let entry = active.removeValue(forKey: handle) else { continue }
                let finished = clock.now
                let code = message.pointee.data.result
                curl_multi_remove_handle(multi, handle)
                switch entry.easy.loadOutcome(code, request: request) {
                case .success(let status): sink(entry.intended.duration(to: finished), .status(status))
                case .failure(let error): sink(entry.intended.duration(to: finished), .failed(error))
                }
                idle.append(entry.easy)
                finishedAny = true
            }
            // A closed loop sends the next requests at once; waiting for the network first would idle them.
            if finishedAny, sending, case .closed = schedule { continue }

            var waitMS: Int32 = 100
            if sending, case .open = schedule, active.count < maxInFlight {
                let untilNext = clock.now.duration(to: intended(next))
                waitMS = Int32(max(0, min(100, (untilNext / .milliseconds(1)).rounded(.up))))
            }
            if let deadline, sending {
                waitMS = min(waitMS, Int32(max(0, min(100, (clock.now.duration(to: deadline) / .milliseconds(1)).rounded(.up)))))
            }
            if waitMS > 0 || running > 0 {
                guard curl_multi_poll(multi, &waitFD, 1, waitMS, nil) == CURLM_OK else { break }
            }
        }
        if !stop.isSignalled, let deadline, case .open = schedule {
            while intended(next) < deadline {
                sink(intended(next).duration(to: deadline), .unsent)
                totals.unsent += 1
                next += 1
            }
        }
        for (handle, _) in active { curl_multi_remove_handle(multi, handle) }
        active.removeAll()
        return totals
    }

    /// Starts one transfer on an idle (or new) handle; a handle that cannot be had is a failed request.
    private func launch(intended: ContinuousClock.Instant, sink: (Duration, Outcome) -> Void) -> Bool {
        var easy = idle.popLast()
        if easy == nil, let fresh = CurlEasy() {
            if let problem = fresh.prepareForLoad(request) {
                sink(.zero, .failed(problem))
                return false
            }
            easy = fresh
        }
        guard let easy else {
            sink(.zero, .failed(HTTPError(.other, request: request, detail: "libcurl could not create a handle")))
            return false
        }
        let added = curl_multi_add_handle(multi, easy.easy)
        guard added == CURLM_OK else {
            idle.append(easy)
            sink(.zero, .failed(HTTPError(.other, request: request, detail: String(cString: curl_multi_strerror(added)))))
            return false
        }
        active[easy.easy] = (easy, intended)
        return true
    }
}
