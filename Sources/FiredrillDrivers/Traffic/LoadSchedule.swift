/// How one load thread paces its requests; shared by `CurlLoadLoop` and `PlainHTTPLoadLoop`.
enum LoadSchedule: Sendable {
    case closed(concurrency: Int)
    /// Of the requests due at `rate` per second overall, this loop sends numbers `phase`, `phase + stride`…
    case open(rate: Double, phase: Int, stride: Int)

    /// When request `index` of this loop is due: at `start` + its share of the overall rate for an open loop, at
    /// `start` for a closed loop (which sends whenever a connection is free).
    func intended(_ index: Int, start: ContinuousClock.Instant) -> ContinuousClock.Instant {
        guard case .open(let rate, let phase, let stride) = self else { return start }
        return start + .seconds(Double(index * stride + phase) / rate)
    }
}
