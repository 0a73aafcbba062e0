import Foundation
import Synchronization

/// The load threads of one traffic measurement or stream: each runs a load loop on its own thread (never on
/// Swift's cooperative pool) with its share of the concurrency or rate, and feeds the shared `TrafficRecorder` in
/// small batches. The loop is the built-in HTTP/1.1 client (`PlainHTTPLoadLoop`) for plain `http://` requests it
/// can send as libcurl would, and `CurlLoadLoop` for everything else (see `engine(for:)`). They start at once;
/// `stop()` ends them at once, and `finished()` waits for the last one.
final class TrafficLoad: Sendable {
    /// How the requests are paced.
    enum Mode: Sendable, Equatable {
        case closed(concurrency: Int)
        case open(rate: Double)
    }

    /// Samples a load thread keeps before handing them to the recorder, at most.
    static let batchSize = 256
    /// …and for how long at most, so a sliding window is never staler than this.
    static let batchAge = Duration.milliseconds(50)

    let recorder: TrafficRecorder
    private let stopSignal = FloodStopSignal()
    private struct Progress {
        var running: Int
        var totals = LoadTotals()
        var waiters: [CheckedContinuation<LoadTotals, Never>] = []
    }
    private let progress: Mutex<Progress>

    /// Starts `threads` load threads (fewer when the concurrency is smaller) sending `request` from
    /// `recorder.origin` until `deadline` (until `stop()` when nil).
    init(request: HTTPRequest, mode: Mode, threads: Int, maxInFlight: Int, success: StatusRanges,
         recorder: TrafficRecorder, deadline: ContinuousClock.Instant?) {
        self.recorder = recorder
        let count: Int
        switch mode {
        case .closed(let concurrency): count = max(1, min(threads, concurrency))
        case .open: count = max(1, threads)
        }
        progress = Mutex(Progress(running: count))
        for index in 0..<count {
            let schedule: LoadSchedule
            switch mode {
            case .closed(let concurrency):
                schedule = .closed(concurrency: concurrency / count + (index < concurrency % count ? 1 : 0))
            case .open(let rate):
                schedule = .open(rate: rate, phase: index, stride: count)
            }
            let share = max(1, maxInFlight / count)
            let thread = Thread { [self] in
                Thread.current.name = "firedrill-traffic"
                let totals = runLoop(request: request, schedule: schedule, maxInFlight: share, success: success, deadline: deadline)
                finish(totals)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Ends every load thread now; requests in flight are dropped.
    func stop() {
        stopSignal.signal()
    }

    var isStopped: Bool { stopSignal.isSignalled }

    /// Waits until every load thread has ended; their totals added up.
    func finished() async -> LoadTotals {
        await withCheckedContinuation { continuation in
            let done: LoadTotals? = progress.withLock { progress in
                if progress.running == 0 { return progress.totals }
                progress.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func finish(_ totals: LoadTotals) {
        let (waiters, all): ([CheckedContinuation<LoadTotals, Never>], LoadTotals) = progress.withLock { progress in
            progress.totals.sent += totals.sent
            progress.totals.unsent += totals.unsent
            progress.totals.maxInFlight += totals.maxInFlight
            progress.running -= 1
            guard progress.running == 0 else { return ([], progress.totals) }
            defer { progress.waiters.removeAll() }
            return (progress.waiters, progress.totals)
        }
        for waiter in waiters { waiter.resume(returning: all) }
    }

    /// Which engine sends a request's load.
    enum Engine: Sendable, Equatable {
        /// `PlainHTTPLoadLoop`: plain `http://`, about a third of libcurl's CPU per request.
        case builtIn
        /// `CurlLoadLoop`: `https`, TLS options, proxies, and anything else the built-in client does not do.
        case curl
    }

    /// The engine `request` is sent with, unless its host does not resolve at start (then libcurl, which reports
    /// the failure as it always has).
    static func engine(for request: HTTPRequest) -> Engine {
        PlainHTTPRequest(request) == nil ? .curl : .builtIn
    }

    /// One load thread: the built-in loop when it can send `request`, libcurl's otherwise, its samples handed to the
    /// recorder in batches.
    private func runLoop(request: HTTPRequest, schedule: LoadSchedule, maxInFlight: Int, success: StatusRanges,
                         deadline: ContinuousClock.Instant?) -> LoadTotals {
        var batch: [TrafficSample] = []
        batch.reserveCapacity(Self.batchSize)
        var flushed = recorder.origin
        let sink = { [recorder] (latency: Duration, outcome: LoadOutcome, finished: ContinuousClock.Instant) in
            let microseconds = UInt64(max(0, latency / .microseconds(1)))
            let slot = recorder.slot(of: finished)
            switch outcome {
            case .status(let status):
                batch.append(TrafficSample(microseconds: microseconds, slot: slot, status: status,
                                           error: success.contains(status) ? nil : "\(status / 100)xx"))
            case .failed(let error):
                batch.append(TrafficSample(microseconds: microseconds, slot: slot, status: 0, error: error.kind.description))
            case .unsent:
                batch.append(TrafficSample(microseconds: microseconds, slot: slot, status: 0, error: "not sent (every connection busy)"))
            }
            if batch.count >= Self.batchSize || flushed.duration(to: finished) >= Self.batchAge {
                recorder.record(batch)
                batch.removeAll(keepingCapacity: true)
                flushed = finished
            }
        }
        defer { recorder.record(batch) }
        if let loop = PlainHTTPLoadLoop(request: request, maxInFlight: maxInFlight) {
            return loop.run(schedule, start: recorder.origin, until: deadline, stop: stopSignal, sink: sink)
        }
        guard let loop = CurlLoadLoop(request: request, maxInFlight: maxInFlight) else {
            recorder.record([TrafficSample(microseconds: 0, slot: recorder.slot(of: ContinuousClock.now), status: 0, error: "libcurl could not start")])
            return LoadTotals()
        }
        return loop.run(schedule, start: recorder.origin, until: deadline, stop: stopSignal, sink: sink)
    }
}
