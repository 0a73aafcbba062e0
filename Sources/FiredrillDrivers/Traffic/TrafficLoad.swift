import Foundation
import Synchronization

/// The load threads of one traffic measurement or stream: each runs a `CurlLoadLoop` on its own thread (never
/// on Swift's cooperative pool) with its share of the concurrency or rate, and feeds the shared
/// `TrafficRecorder` in small batches. They start at once; `stop()` ends them at once, and `finished()` waits
/// for the last one.
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
        var totals = CurlLoadLoop.Totals()
        var waiters: [CheckedContinuation<CurlLoadLoop.Totals, Never>] = []
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
            let schedule: CurlLoadLoop.Schedule
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
    func finished() async -> CurlLoadLoop.Totals {
        await withCheckedContinuation { continuation in
            let done: CurlLoadLoop.Totals? = progress.withLock { progress in
                if progress.running == 0 { return progress.totals }
                progress.waiters.append(continuation)
                return nil
            }
            if let done { continuation.resume(returning: done) }
        }
    }

    private func finish(_ totals: CurlLoadLoop.Totals) {
        let (waiters, all): ([CheckedContinuation<CurlLoadLoop.Totals, Never>], CurlLoadLoop.Totals) = progress.withLock { progress in
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

    private func runLoop(request: HTTPRequest, schedule: CurlLoadLoop.Schedule, maxInFlight: Int, success: StatusRanges,
                         deadline: ContinuousClock.Instant?) -> CurlLoadLoop.Totals {
        let clock = ContinuousClock()
        guard let loop = CurlLoadLoop(request: request, maxInFlight: maxInFlight) else {
            recorder.record([TrafficSample(microseconds: 0, slot: recorder.slot(of: clock.now), status: 0, error: "libcurl could not start")])
            return CurlLoadLoop.Totals()
        }
        var batch: [TrafficSample] = []
        batch.reserveCapacity(Self.batchSize)
        var flushed = clock.now
        let totals = loop.run(schedule, start: recorder.origin, until: deadline, stop: stopSignal) { latency, outcome in
            let now = clock.now
            let microseconds = UInt64(max(0, latency / .microseconds(1)))
            let slot = recorder.slot(of: now)
            switch outcome {
            case .status(let status):
                batch.append(TrafficSample(microseconds: microseconds, slot: slot, status: status,
                                           error: success.contains(status) ? nil : "\(status / 100)xx"))
            case .failed(let error):
                batch.append(TrafficSample(microseconds: microseconds, slot: slot, status: 0, error: error.kind.description))
            case .unsent:
                batch.append(TrafficSample(microseconds: microseconds, slot: slot, status: 0, error: "not sent (every connection busy)"))
            }
            if batch.count >= Self.batchSize || flushed.duration(to: now) >= Self.batchAge {
                recorder.record(batch)
                batch.removeAll(keepingCapacity: true)
                flushed = now
            }
        }
        recorder.record(batch)
        return totals
    }
}
