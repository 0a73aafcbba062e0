import FiredrillTestSupport
import Foundation
import Testing

@Suite("PrometheusFixture")
struct PrometheusFixtureTests {
    @Test func startsScrapesAndStopsCompletely() async throws {
        let exporter = try LoopbackHTTPServer()
        defer { exporter.stop() }
        exporter.setMetrics("# TYPE fd_up gauge\nfd_up 1\n")
        let prometheus = try await PrometheusFixture.start(scraping: [exporter.port], job: "fixture-check")
        defer { prometheus.stop() }
        #expect(prometheus.targets == ["127.0.0.1:\(exporter.port)"])
        try await prometheus.waitUntilScraped(port: exporter.port)
        #expect(exporter.lastRequest?.target == "/metrics")

        let pid = prometheus.pid
        #expect(kill(pid, 0) == 0)
        prometheus.stop()
        #expect(kill(pid, 0) != 0)
        #expect(!FileManager.default.fileExists(atPath: prometheus.directory.path))
        prometheus.stop()
    }

    @Test func aTargetThatIsDownIsReportedWithItsScrapeError() async throws {
        let down = try LoopbackPort.free()
        let prometheus = try await PrometheusFixture.start(scraping: [down])
        defer { prometheus.stop() }
        let error = await #expect(throws: PrometheusFixtureError.self) {
            try await prometheus.waitUntilScraped(port: down, timeout: .seconds(8))
        }
        let message = try #require(error).description
        #expect(message.contains("did not scrape 127.0.0.1:\(down) successfully within 8.0 s"))
        #expect(message.contains("connection refused"))
    }

    @Test func aMissingBinaryFailsSayingHowToInstallIt() async throws {
        let error = await #expect(throws: PrometheusFixtureError.self) {
            _ = try await PrometheusFixture.start(scraping: [], binary: "/nonexistent/prometheus")
        }
        let message = try #require(error).description
        #expect(message.contains("/nonexistent/prometheus could not be started"))
        #expect(message.contains("scripts/install-deps.sh test"))
    }
}
