import FiredrillTestSupport
import Testing

/// Starts one real Prometheus for a whole suite, scraping a `LoopbackHTTPServer` whose `/metrics` serves
/// `PrometheusRig.baseMetrics`, and waits until the first scrape landed; tests reach both through
/// `SharedPrometheus.current()`. A missing Prometheus installation fails the suite.
struct PrometheusServerTrait: SuiteTrait, TestScoping {
    var isRecursive: Bool { false }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        let exporter = try LoopbackHTTPServer()
        defer { exporter.stop() }
        exporter.setMetrics(PrometheusRig.metrics(changing: 1))
        let prometheus = try await PrometheusFixture.start(scraping: [exporter.port])
        defer { prometheus.stop() }
        try await prometheus.waitUntilScraped(port: exporter.port)
        try await SharedPrometheus.$rig.withValue(PrometheusRig(prometheus: prometheus, exporter: exporter)) {
            try await function()
        }
    }
}

extension Trait where Self == PrometheusServerTrait {
    /// One real Prometheus, scraping one exporter, for the suite.
    static var prometheusServer: Self { Self() }
}

/// The suite's Prometheus and the exporter it scrapes every second.
struct PrometheusRig: Sendable {
    let prometheus: PrometheusFixture
    let exporter: LoopbackHTTPServer

    /// `instance` of every series the exporter exposes.
    var instance: String { "127.0.0.1:\(exporter.port)" }

    /// The exporter's metrics, with `fd_changing` at `changing`. Every test reads its own metric; only one test
    /// changes `fd_changing`, and it always serves the rest unchanged (a series left out would go stale).
    static func metrics(changing: Double) -> String {
        """
        # TYPE fd_queue_depth gauge
        fd_queue_depth 3
        # TYPE fd_temperature gauge
        fd_temperature{room="lab",sensor="t1"} 21.5
        # TYPE fd_requests_total counter
        fd_requests_total{code="200",path="/a"} 10
        fd_requests_total{code="500",path="/b"} 2
        # TYPE fd_errors gauge
        fd_errors 0
        # TYPE fd_changing gauge
        fd_changing \(changing)

        """
    }
}

enum SharedPrometheus {
    @TaskLocal static var rig: PrometheusRig?

    struct Missing: Error, CustomStringConvertible {
        var description: String { "no Prometheus: add the .prometheusServer trait to the suite" }
    }

    static func current() throws -> PrometheusRig {
        guard let rig else { throw Missing() }
        return rig
    }
}
