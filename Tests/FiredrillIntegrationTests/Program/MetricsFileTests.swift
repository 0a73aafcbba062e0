import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `--metrics-file`: the Prometheus text format, written atomically, accepted by `promtool check metrics` and
/// scraped by a real Prometheus.
@Suite(.serialized) struct MetricsFileTests {
    static func promtoolCheck(_ path: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["promtool", "check", "metrics"]
        process.standardInput = FileHandle(forReadingAtPath: path)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output.fileHandleForReading.availableData, as: UTF8.self))
    }

    /// The value of the single series `query` selects, from Prometheus' query API.
    static func query(_ prometheus: PrometheusFixture, _ query: String) async throws -> String? {
        var components = URLComponents(string: prometheus.baseURL + "/api/v1/query")!
        components.queryItems = [URLQueryItem(name: "query", value: query)]
        let (data, _) = try await URLSession.shared.data(from: components.url!)
        let json = try JSONValue.parse(String(decoding: data, as: UTF8.self))
        return json["data"]?["result"]?[0]?["value"]?[1]?.stringValue
    }

    @Test func theMetricsFilePassesPromtoolAndPrometheusScrapesTheRunsOfEveryPlan() async throws {
        let dir = try TempDirectory.make(prefix: "metrics")
        try ProgramCLI.plan(name: "touch-marker", marker: dir + "/marker").write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        // An earlier drill of another plan, with its objectives, is in the store already.
        let store = try await SQLiteRunStore.open(path: dir + "/reports/.firedrill-history.sqlite")
        let started = "2026-11-01T03:00:00.000000Z"
        try await store.save(RunRecord(id: RunRecord.id(runDirectory: "/reports/x", startedAt: started), plan: "db-failover",
                                       planSHA256: String(repeating: "e", count: 64), kind: "Drill", environment: "staging",
                                       runBy: "sre@runner", startedAt: started, endedAt: "2026-11-01T03:10:00.000000Z", ending: "deviated",
                                       runDirectory: "/reports/x", objectives: [
                                           ObjectiveRecord(name: "RTO", targetSeconds: 60, achievedSeconds: 42.5, verdict: "MET"),
                                           ObjectiveRecord(name: "RPO", targetSeconds: 5, achievedSeconds: 7.25, verdict: "MISSED"),
                                       ]))
        await store.close()
        try FileManager.default.createDirectory(atPath: dir + "/textfile", withIntermediateDirectories: true)
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet", "--metrics-file", "textfile/metrics"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        // Written by rename: nothing else is left in the collector's folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir + "/textfile") == ["metrics"])
        let text = try String(contentsOfFile: dir + "/textfile/metrics", encoding: .utf8)
        #expect(text.contains("firedrill_run_ending{plan=\"touch-marker\",environment=\"test\",ending=\"passed\"} 1\n"))
        #expect(text.contains("firedrill_run_ending{plan=\"touch-marker\",environment=\"test\",ending=\"failed\"} 0\n"))
        #expect(text.contains("firedrill_run_ending{plan=\"db-failover\",environment=\"staging\",ending=\"deviated\"} 1\n"))
        #expect(text.contains("firedrill_rto_seconds{plan=\"db-failover\",environment=\"staging\",kind=\"measured\"} 42.5\n"))
        #expect(text.contains("firedrill_rpo_seconds{plan=\"db-failover\",environment=\"staging\",kind=\"objective\"} 5\n"))
        #expect(text.contains("firedrill_last_run_timestamp_seconds{plan=\"db-failover\",environment=\"staging\"} 1793502000\n"))

        let check = try Self.promtoolCheck(dir + "/textfile/metrics")
        #expect(check.status == 0, "\(check.output)")

        // Served the way node_exporter's textfile collector would expose it, and scraped by a real Prometheus.
        let port = try LoopbackPort.free()
        let server = try ChildProcess(["python3", "-m", "http.server", String(port), "--bind", "127.0.0.1", "--directory", dir + "/textfile"])
        defer { server.signal(SIGKILL) }
        let prometheus = try await PrometheusFixture.start(scraping: [port])
        defer { prometheus.stop() }
        try await prometheus.waitUntilScraped(port: port, timeout: .seconds(60))
        #expect(try await Self.query(prometheus, "firedrill_rto_seconds{plan=\"db-failover\",kind=\"objective\"}") == "60")
        #expect(try await Self.query(prometheus, "firedrill_rpo_seconds{plan=\"db-failover\",kind=\"measured\"}") == "7.25")
        #expect(try await Self.query(prometheus, "firedrill_run_ending{plan=\"touch-marker\",ending=\"passed\"}") == "1")
        let last = try #require(try await Self.query(prometheus, "firedrill_last_run_timestamp_seconds{plan=\"touch-marker\"}").flatMap(Double.init))
        #expect(abs(last - Date().timeIntervalSince1970) < 3600)
    }
}
