import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

@Suite("PrometheusProbeDriver", .prometheusServer)
struct PrometheusProbeDriverTests {
    let driver = PrometheusProbeDriver()

    private func context(timeout: Duration = .seconds(10), secrets: [String] = []) -> DriverContext {
        DriverContext(name: "prometheus-probe", role: "steady-state", timeout: timeout, secrets: secrets)
    }

    private func observe(_ query: String, url: String? = nil, extra: String = "", timeout: Duration = .seconds(10),
                         secrets: [String] = []) async throws -> Observation {
        let base = try url ?? SharedPrometheus.current().prometheus.baseURL
        let node = try params("{ url: '\(base)', query: '\(query.replacingOccurrences(of: "'", with: "''"))'\(extra) }")
        return try await driver.observe(node, context: context(timeout: timeout, secrets: secrets))
    }

    /// The message of the `DriverError` that observing `query` throws.
    private func failure(_ query: String, url: String? = nil, extra: String = "", timeout: Duration = .seconds(10),
                         secrets: [String] = []) async throws -> String {
        let error = await #expect(throws: DriverError.self) {
            try await observe(query, url: url, extra: extra, timeout: timeout, secrets: secrets)
        }
        let message = try #require(error).description
        #expect(message.hasPrefix("prometheus: "))
        return message
    }

    @Test func gaugeIsReadAsANumberAndChangesAreSeen() async throws {
        let rig = try SharedPrometheus.current()
        let first = try await observe("fd_changing")
        #expect(first.value["value"] == 1)
        #expect(first.ok)
        #expect(first.summary == "fd_changing = 1 (1 series)")

        rig.exporter.setMetrics(PrometheusRig.metrics(changing: 42.5))
        var seen: JSONValue?
        let deadline = ContinuousClock.now + .seconds(20)
        for _ in 0..<200 where seen != 42.5 && ContinuousClock.now < deadline {
            seen = try await observe("fd_changing").value["value"]
            if seen != 42.5 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(seen == 42.5)
    }

    @Test func singleSeriesGivesItsLabels() async throws {
        let rig = try SharedPrometheus.current()
        let raw = try await observe("fd_temperature")
        #expect(raw.value["value"] == 21.5)
        #expect(raw.value["series"] == [
            "__name__": "fd_temperature", "room": "lab", "sensor": "t1", "instance": .string(rig.instance), "job": "firedrill-test",
        ])

        let aggregated = try await observe("sum by (room) (fd_temperature)")
        #expect(aggregated.value == ["value": 21.5, "series": ["room": "lab"]])
        #expect(aggregated.summary == "sum by (room) (fd_temperature) = 21.5 (1 series)")
    }

    @Test func scalarAndStringResults() async throws {
        let scalar = try await observe("scalar(fd_queue_depth) * 2")
        #expect(scalar.value == ["value": 6, "series": [:]])
        #expect(scalar.summary == "scalar(fd_queue_depth) * 2 = 6 (scalar)")

        let text = try await observe("\"ready\"")
        #expect(text.value == ["value": "ready", "series": [:]])
    }

    @Test func notANumberAndInfinityAreObservedAsStrings() async throws {
        let nan = try await observe("fd_errors / fd_errors")
        #expect(nan.value["value"] == "NaN")
        #expect(nan.ok)
        let infinite = try await observe("fd_queue_depth / fd_errors")
        #expect(infinite.value["value"] == "+Inf")
        let negative = try await observe("scalar(-fd_queue_depth / fd_errors)")
        #expect(negative.value["value"] == "-Inf")
    }

    @Test func emptyResultFailsNamingTheQuery() async throws {
        let message = try await failure("fd_no_such_metric{job=\"nope\"}")
        #expect(message.contains("query `fd_no_such_metric{job=\"nope\"}` returned no series"))
    }

    @Test func severalSeriesFailNamingEachLabelSet() async throws {
        let rig = try SharedPrometheus.current()
        let message = try await failure("fd_requests_total")
        #expect(message.contains("query `fd_requests_total` returned 2 series, expected one: "))
        #expect(message.contains("fd_requests_total{code=\"200\",instance=\"\(rig.instance)\",job=\"firedrill-test\",path=\"/a\"}"))
        #expect(message.contains("fd_requests_total{code=\"500\",instance=\"\(rig.instance)\",job=\"firedrill-test\",path=\"/b\"}"))
    }

    @Test func longSeriesListsAreCut() async throws {
        let message = try await failure("label_replace(fd_requests_total, \"x\", \"1\", \"\", \"\") or fd_requests_total "
                                        + "or label_replace(fd_requests_total, \"x\", \"2\", \"\", \"\")")
        #expect(message.contains("returned 6 series, expected one"))
        #expect(message.contains("… (1 more)"))
    }

    @Test func rangeVectorFailsAskingForAnInstantVector() async throws {
        let message = try await failure("fd_queue_depth[1m]")
        #expect(message.contains("query `fd_queue_depth[1m]` returned a range vector"))
        #expect(message.contains("instant vector or a scalar"))
    }

    @Test func syntaxErrorFailsWithPrometheusMessage() async throws {
        let message = try await failure("sum(fd_queue_depth")
        #expect(message.contains("rejected query `sum(fd_queue_depth`: bad_data: "))
        #expect(message.contains("parse error"))
        #expect(message.contains("unclosed left parenthesis"))
    }

    @Test func headersAndEncodedQueryAreSentAndSecretsMasked() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let message = try await failure("sum(rate(x{token=\"s3cret\"}[1m])) + 1", url: server.baseURL,
                                        extra: ", headers: { Authorization: 'Bearer s3cret', X-Scope-OrgID: team-a }",
                                        secrets: ["s3cret"])
        #expect(message.contains("\(server.baseURL) answered HTTP 404 to query `sum(rate(x{token=\"***\"}[1m])) + 1`: not found"))
        #expect(!message.contains("s3cret"))

        let request = try #require(server.lastRequest)
        #expect(request.method == "GET")
        #expect(request.target == "/api/v1/query?query=sum%28rate%28x%7Btoken%3D%22s3cret%22%7D%5B1m%5D%29%29%20%2B%201")
        #expect(request.header("Authorization") == "Bearer s3cret")
        #expect(request.header("X-Scope-OrgID") == "team-a")
        #expect(request.header("Accept") == "application/json")
    }

    @Test func headersReachPrometheus() async throws {
        let observation = try await observe("fd_queue_depth", extra: ", headers: { X-Scope-OrgID: team-a }")
        #expect(observation.value["value"] == 3)
    }

    @Test func nothingListeningFailsFast() async throws {
        let port = try LoopbackPort.free()
        let clock = ContinuousClock()
        let start = clock.now
        let message = try await failure("up", url: "http://127.0.0.1:\(port)/")
        #expect(clock.now - start < .seconds(3))
        #expect(message.contains("no answer from Prometheus at http://127.0.0.1:\(port) to query `up`: connection refused"))
    }

    @Test func silentServerTimesOut() async throws {
        let silent = try SilentListener()
        let clock = ContinuousClock()
        let start = clock.now
        let message = try await failure("up", url: "http://127.0.0.1:\(silent.port)", timeout: .milliseconds(500))
        #expect(clock.now - start < .seconds(3))
        #expect(message.contains("no answer from Prometheus at http://127.0.0.1:\(silent.port) to query `up`: timed out"))
    }

    @Test func cancellationStopsTheQueryPromptly() async throws {
        let silent = try SilentListener()
        let url = "http://127.0.0.1:\(silent.port)"
        let task = Task { try await observe("up", url: url, timeout: .seconds(30)) }
        try await Task.sleep(for: .milliseconds(200))
        let clock = ContinuousClock()
        let start = clock.now
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(clock.now - start < .seconds(2))
    }

    @Test func baseURLWithAQueryIsRefused() async throws {
        let message = try await failure("up", url: "http://127.0.0.1:9090/?x=1")
        #expect(message.contains("`url` must be the Prometheus base URL without a query"))
    }

    @Test func planToleranceJudgesTheValue() async throws {
        let base = try SharedPrometheus.current().prometheus.baseURL
        let probe = try #require(BuiltinDrivers.probes["prometheus"])
        let runner = ProbeRunner(drivers: TestDrivers(probes: ["prometheus": probe]), resolver: Resolver(environment: [:])) { name, timeout in
            DriverContext(name: name, role: "steady-state", timeout: timeout)
        }
        func spec(_ expect: String, query: String = "fd_queue_depth") throws -> ProbeSpec {
            let node = try params("{ url: '\(base)', query: '\(query)' }")
            let expectNode = try params("{ value: '\(expect)' }")
            let (tolerance, diagnostics) = Tolerance.parse(expectNode)
            #expect(diagnostics.isEmpty)
            return ProbeSpec(name: "queue", call: DriverCall(key: "prometheus", params: node, location: node.location, spec: TestCatalog.builtin.spec("prometheus")),
                             expect: tolerance, expectNode: expectNode, timeout: nil, location: node.location)
        }

        let passing = await runner.once(try spec("< 5"))
        #expect(passing.passed)
        #expect(passing.message == "fd_queue_depth = 3 (1 series)")

        let failing = await runner.once(try spec("> 5"))
        #expect(!failing.passed)
        #expect(failing.message.contains("value 3, expected > 5"))

        let nan = await runner.once(try spec("< 5", query: "fd_errors / fd_errors"))
        #expect(!nan.passed)
        #expect(nan.message.contains("NaN"))
    }

    /// An error ratio (2 of 12 requests failed: 0.1667) declared `unit: ratio`: a percentage is the same share, so
    /// `< 1%` fails and `< 20%` passes; without `unit:`, a percentage that arrives at run time is refused.
    @Test func aPercentageAgainstADeclaredRatioIsTheSameShare() async throws {
        let base = try SharedPrometheus.current().prometheus.baseURL
        let probe = try #require(BuiltinDrivers.probes["prometheus"])
        let runner = ProbeRunner(drivers: TestDrivers(probes: ["prometheus": probe]),
                                 resolver: Resolver(variables: ["limit": "1%"], environment: [:])) { name, timeout in
            DriverContext(name: name, role: "guard", timeout: timeout)
        }
        let query = "sum(fd_requests_total{code=\"500\"}) / sum(fd_requests_total)"
        func spec(_ expect: String, unit: String?) throws -> ProbeSpec {
            let node = try params("{ url: '\(base)', query: '\(query)'\(unit.map { ", unit: \($0)" } ?? "") }")
            let expectNode = try params("{ value: '\(expect)' }")
            let (tolerance, _) = Tolerance.parse(expectNode)
            return ProbeSpec(name: "error-ratio", call: DriverCall(key: "prometheus", params: node, location: node.location, spec: TestCatalog.builtin.spec("prometheus")),
                             expect: expect.contains("${") ? nil : tolerance, expectNode: expectNode, timeout: nil, location: node.location)
        }

        let breached = await runner.once(try spec("< 1%", unit: "ratio"), role: "guard")
        #expect(!breached.passed)
        #expect(breached.message.contains("value 16.6667%, expected < 1%"), "\(breached.message)")
        let held = await runner.once(try spec("< 20%", unit: "ratio"), role: "guard")
        #expect(held.passed, "\(held.message)")
        let plain = await runner.once(try spec("< 0.01", unit: "ratio"), role: "guard")
        #expect(!plain.passed)

        let substituted = await runner.once(try spec("< ${limit}", unit: nil), role: "guard")
        #expect(!substituted.passed)
        #expect(substituted.message.contains("the unit of `value` is whatever the query returns"), "\(substituted.message)")
        let declared = await runner.once(try spec("< ${limit}", unit: "ratio"), role: "guard")
        #expect(!declared.passed)
        #expect(declared.message.contains("value 16.6667%, expected < 1%"), "\(declared.message)")
    }
}
