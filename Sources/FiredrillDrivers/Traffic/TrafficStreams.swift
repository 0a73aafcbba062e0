import Synchronization

/// The traffic streams kept running between executions of guard and `recovered` probes, by probe name and
/// request. A stream starts on the first execution and stops when its watch ends (`ProbeDriver.release`),
/// or with `stopAll()`.
final class TrafficStreams: Sendable {
    static let shared = TrafficStreams()

    private let streams = Mutex<[String: TrafficLoad]>([:])

    /// The stream for `key`, and whether it was started by this call.
    func stream(_ key: String, start: () -> TrafficLoad) -> (load: TrafficLoad, started: Bool) {
        streams.withLock { streams in
            if let existing = streams[key], !existing.isStopped { return (existing, false) }
            let load = start()
            streams[key] = load
            return (load, true)
        }
    }

    /// Stops the stream for `key` and waits for its threads; nothing when there is none.
    /// - Returns: the stream's figures over its whole life, as of when it was told to stop.
    @discardableResult
    func stop(_ key: String) async -> TrafficSummary? {
        guard let load = streams.withLock({ $0.removeValue(forKey: key) }) else { return nil }
        let stoppedAt = ContinuousClock.now
        load.stop()
        _ = await load.finished()
        // Read once the threads have handed over their last samples; the span ends when the stop was asked.
        return load.recorder.total(now: stoppedAt)
    }

    /// Stops every stream.
    func stopAll() async {
        let all = streams.withLock { streams in
            defer { streams.removeAll() }
            return Array(streams.values)
        }
        for load in all {
            load.stop()
            _ = await load.finished()
        }
    }

    var count: Int { streams.withLock { $0.count } }
}
