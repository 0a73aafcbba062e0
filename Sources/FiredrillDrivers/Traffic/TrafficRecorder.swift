import Histogram
import Synchronization

/// The latencies (HdrHistogram, microseconds, three significant digits) and outcomes of one traffic stream,
/// shared by its load threads and whoever reads the figures.
///
/// It keeps a running total since `origin` and, when given a `window`, buckets of a tenth of the window
/// (100 ms to 1 s) by the instant each request finished, so `window(…)` can merge the last ones into a
/// sliding-window summary while older buckets are dropped.
final class TrafficRecorder: Sendable {
    /// Latencies above this (in µs) are recorded as this: ten minutes.
    static let highestMicroseconds: UInt64 = 600_000_000

    private struct Bucket {
        var histogram = Histogram<UInt64>(highestTrackableValue: TrafficRecorder.highestMicroseconds, numberOfSignificantValueDigits: .three)
        var requests = 0
        var ok = 0
        var errorKinds: [String: Int] = [:]
        var statuses: [Int: Int] = [:]

        mutating func add(_ sample: TrafficSample) {
            _ = histogram.record(Swift.min(sample.microseconds, TrafficRecorder.highestMicroseconds))
            requests += 1
            if let error = sample.error { errorKinds[error, default: 0] += 1 } else { ok += 1 }
            if sample.status > 0 { statuses[sample.status, default: 0] += 1 }
        }

        mutating func add(_ other: Bucket) {
            histogram.add(other.histogram)
            requests += other.requests
            ok += other.ok
            errorKinds.merge(other.errorKinds, uniquingKeysWith: +)
            statuses.merge(other.statuses, uniquingKeysWith: +)
        }

        func summary(seconds: Double) -> TrafficSummary {
            var summary = TrafficSummary(requests: requests, ok: ok, seconds: seconds, errorKinds: errorKinds, statuses: statuses)
            if histogram.totalCount > 0 {
                summary.p50 = Double(histogram.valueAtPercentile(50)) / 1e6
                summary.p95 = Double(histogram.valueAtPercentile(95)) / 1e6
                summary.p99 = Double(histogram.valueAtPercentile(99)) / 1e6
                summary.max = Double(histogram.max) / 1e6
            }
            return summary
        }
    }

    private struct State {
        var total = Bucket()
        var buckets: [Int: Bucket] = [:]
    }

    let origin: ContinuousClock.Instant
    /// The span of one bucket.
    let slotWidth: Duration
    /// Buckets kept for `window`; 0 keeps none.
    private let keptSlots: Int
    private let state = Mutex(State())

    init(origin: ContinuousClock.Instant, window: Duration? = nil) {
        self.origin = origin
        slotWidth = window.map { min(.seconds(1), max(.milliseconds(100), $0 / 10)) } ?? .seconds(1)
        keptSlots = window.map { [slotWidth] in Int(($0 / slotWidth).rounded(.up)) + 1 } ?? 0
    }

    /// The bucket after `origin` that `instant` falls in.
    func slot(of instant: ContinuousClock.Instant) -> Int {
        Int((origin.duration(to: instant) / slotWidth).rounded(.down))
    }

    func record(_ samples: [TrafficSample]) {
        guard !samples.isEmpty else { return }
        state.withLock { state in
            for sample in samples {
                state.total.add(sample)
                if keptSlots > 0 { state.buckets[sample.slot, default: Bucket()].add(sample) }
            }
            if keptSlots > 0, let newest = samples.last?.slot {
                state.buckets = state.buckets.filter { $0.key > newest - keptSlots }
            }
        }
    }

    /// Everything since `origin`, as of `now`.
    func total(now: ContinuousClock.Instant) -> TrafficSummary {
        let seconds = origin.duration(to: now) / .seconds(1)
        return state.withLock { $0.total.summary(seconds: seconds) }
    }

    /// The requests that finished in the last `window` (to a bucket: the whole buckets it spans and the current
    /// one), or since `origin` if that is more recent.
    func window(_ window: Duration, now: ContinuousClock.Instant) -> TrafficSummary {
        let current = slot(of: now)
        let whole = Swift.max(1, Int((window / slotWidth).rounded(.up)))
        let first = Swift.max(0, current - whole)
        let elapsed = origin.duration(to: now)
        let covered = Swift.min(elapsed, slotWidth * whole + (elapsed - slotWidth * current))
        return state.withLock { state in
            var merged = Bucket()
            for (slot, bucket) in state.buckets where slot >= first && slot <= current { merged.add(bucket) }
            return merged.summary(seconds: covered / .seconds(1))
        }
    }
}
