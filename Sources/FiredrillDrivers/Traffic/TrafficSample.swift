/// One finished request of a traffic stream, as the load loop hands it to the recorder.
struct TrafficSample: Sendable {
    /// From the intended send instant (open loop) or the actual one (closed loop) to the outcome, in µs.
    var microseconds: UInt64
    /// The recorder's bucket (`TrafficRecorder.slot(of:)`) of the instant the outcome was known.
    var slot: Int
    /// The response status (0 when there was none).
    var status: Int
    /// `nil` for a success; otherwise the kind of error: `connection refused`, `timed out`, `5xx`…
    var error: String?
}
