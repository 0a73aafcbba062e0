import FiredrillStore

/// `--metrics-file`: the latest run of every plan in the store (or this run alone with --no-store), written
/// atomically. A failure is reported and never changes the run's exit code.
enum MetricsWriter {
    static func write(_ path: String, runDirectory: String, store: (any RunStore)?) async {
        do {
            var latest: [String: RunRecord] = [:]
            if let store { latest = try await store.latestRuns() }
            let this = try RunRecord.read(runDirectory: runDirectory)
            latest[this.plan] = this
            try PrometheusTextfile.write(PrometheusTextfile.render(Array(latest.values)), to: path)
        } catch {
            Console.error("could not write the metrics file \(path): \(error)")
        }
    }
}
