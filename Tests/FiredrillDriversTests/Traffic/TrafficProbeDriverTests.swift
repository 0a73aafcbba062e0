import FiredrillCore
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

@testable import FiredrillDrivers

/// The `traffic` probe against real servers on 127.0.0.1: the in-process loopback server, and a python3 server in
/// a child process that the tests stall with SIGSTOP.
@Suite("traffic probe", .serialized)
struct TrafficProbeDriverTests {
    private func observe(_ yaml: String, role: String = "steady-state", name: String = "api-traffic") async throws -> Observation {
        var context = CloudTestContext(timeout: .seconds(60)).context
        context.role = role
        context.name = name
        return try await TrafficProbeDriver().observe(try params(yaml), context: context)
    }

    private func number(_ observation: Observation, _ field: String) throws -> Double {
        try #require(observation.value[field]?.doubleValue, "no \(field) in \(observation.value)")
    }

    @Test func openLoopSendsAtTheRateForTheDuration() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let observation = try await observe("{ url: '\(server.baseURL)/health', rate: 200/s, for: 1s }")
        let requests = try number(observation, "requests")
        #expect(requests >= 195 && requests <= 201, "\(requests) requests at 200/s for 1s")
        #expect(server.requestsServed == Int(requests))
        #expect(try number(observation, "success") == 100)
        #expect(try number(observation, "errors") == 0)
        #expect(try number(observation, "p50") < 0.25)
        #expect(try number(observation, "p99") >= number(observation, "p50"))
        #expect(try number(observation, "max") >= number(observation, "p99"))
        #expect(abs(try number(observation, "rate") - 200) <= 5)
        #expect(observation.value["statuses"]?["200"]?.doubleValue == requests)
        #expect(observation.ok)
        #expect(observation.summary.hasPrefix("GET \(server.baseURL)/health at 200/s: \(Int(requests)) requests in 1s (\(Int(requests))/s): 100% ok; p50 "),
                "\(observation.summary)")
    }

    @Test func closedLoopKeepsTheConcurrencyBusy() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let observation = try await observe("{ url: '\(server.baseURL)/slow?ms=20', concurrency: 8, for: 1s }")
        let requests = try number(observation, "requests")
        // 8 in flight, each about 20 ms: about 400 in a second; a closed loop never exceeds what the server allows.
        #expect(requests >= 200 && requests <= 420, "\(requests) requests")
        #expect(try number(observation, "success") == 100)
        #expect(try number(observation, "p50") >= 0.019)
        #expect(observation.summary.contains(", 8 in flight: "), "\(observation.summary)")
    }

    @Test func errorStatusesAreErrorsByClassUnlessListedAsSuccess() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let failing = try await observe("{ url: '\(server.baseURL)/status/503', rate: 50/s, for: 500ms }")
        let requests = try number(failing, "requests")
        #expect(requests >= 24 && requests <= 26)
        #expect(try number(failing, "success") == 0)
        #expect(failing.value["error-kinds"]?["5xx"]?.doubleValue == requests)
        #expect(failing.value["statuses"]?["503"]?.doubleValue == requests)
        #expect(!failing.ok)
        #expect(failing.summary.hasSuffix("0% ok; p50 \(TrafficSummary.latency(try number(failing, "p50"))) p95 \(TrafficSummary.latency(try number(failing, "p95"))) p99 \(TrafficSummary.latency(try number(failing, "p99"))) max \(TrafficSummary.latency(try number(failing, "max"))); \(Int(requests)) 5xx"), "\(failing.summary)")

        let accepted = try await observe("{ url: '\(server.baseURL)/status/503', rate: 50/s, for: 200ms, success-status: [200-299, 503] }")
        #expect(try number(accepted, "success") == 100)
        #expect(accepted.ok)
    }

    @Test func refusedConnectionsAreCountedByKind() async throws {
        let port = try LoopbackPort.free()
        let observation = try await observe("{ url: 'http://127.0.0.1:\(port)/health', rate: 100/s, for: 300ms }")
        let requests = try number(observation, "requests")
        #expect(requests >= 29 && requests <= 31)
        #expect(observation.value["error-kinds"]?["connection refused"]?.doubleValue == requests)
        #expect(try number(observation, "success") == 0)
    }

    @Test func anOpenLoopCountsAStallFromEachRequestsIntendedInstant() async throws {
        let server = try StallableServer()
        defer { server.stop() }
        let measuring = Task { try await observe("{ url: '\(server.url)', rate: 200/s, for: 2s }") }
        try await Task.sleep(for: .milliseconds(700))
        await server.stall(for: .milliseconds(500))
        let observation = try await measuring.value
        let requests = try number(observation, "requests")
        #expect(requests >= 395 && requests <= 401, "\(requests) requests")
        #expect(try number(observation, "success") == 100, "\(observation.summary)")
        // About 100 of 400 requests were due during the 500 ms stall; the earliest of them waited it all.
        #expect(try number(observation, "max") >= 0.45, "\(observation.summary)")
        #expect(try number(observation, "p95") >= 0.35, "\(observation.summary)")
        #expect(try number(observation, "p50") < 0.2, "\(observation.summary)")
    }

    @Test func aGuardStreamJudgesTheSlidingWindowAndStopsOnRelease() async throws {
        let server = try StallableServer()
        defer { server.stop() }
        let yaml = "{ url: '\(server.url)', rate: 100/s, window: 1s, request-timeout: 300ms }"
        let first = try await observe(yaml, role: "guard")
        #expect(TrafficStreams.shared.count == 1)
        #expect(try number(first, "requests") >= 80, "\(first.summary)")
        #expect(try number(first, "success") == 100, "\(first.summary)")

        let stalling = Task { await server.stall(for: .milliseconds(1200)) }
        try await Task.sleep(for: .milliseconds(900))
        let during = try await observe(yaml, role: "guard")
        await stalling.value
        #expect(try number(during, "success") < 50, "\(during.summary)")
        #expect((during.value["error-kinds"]?["timed out"]?.doubleValue ?? 0) > 0, "\(during.summary)")
        #expect(!during.ok)

        try await Task.sleep(for: .milliseconds(2500))
        let after = try await observe(yaml, role: "guard")
        #expect(try number(after, "success") == 100, "\(after.summary)")
        #expect(try number(after, "requests") >= 95 && number(after, "requests") <= 115, "a 1 s window at 100/s: \(after.summary)")

        var context = CloudTestContext().context
        context.role = "guard"
        context.name = "api-traffic"
        let recorded = Mutex<[(type: String, data: JSONValue)]>([])
        context.record = { type, data in recorded.withLock { $0.append((type, data)) } }
        await TrafficProbeDriver().release(try params(yaml), context: context)
        #expect(TrafficStreams.shared.count == 0)

        // One availability figure for the whole watch, from every request, the stall included.
        let totals = recorded.withLock { $0 }.filter { $0.type == JournalEventType.trafficTotal.rawValue }
        #expect(totals.count == 1)
        let total = try #require(totals.first?.data)
        #expect(total["role"]?.stringValue == "guard")
        let requests = try #require(total["requests"]?.doubleValue)
        let sum = try number(first, "requests") + number(during, "requests") + number(after, "requests")
        #expect(requests >= sum * 0.9, "the whole stream holds at least every window judged: \(requests) vs \(sum)")
        let success = try #require(total["success"]?.doubleValue)
        #expect(success > 30 && success < 100, "the 1.2s stall is in the whole-window figure: \(success)%")
        #expect((total["p99"]?.doubleValue ?? 0) >= 0.25, "timed-out requests count at their request-timeout: \(total)")
        #expect(total["line"]?.stringValue?.contains("timed out") == true)
    }

    @Test func cancellingAMeasurementStopsItPromptly() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let measuring = Task { try await observe("{ url: '\(server.baseURL)/health', concurrency: 4, for: 30s }") }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = ContinuousClock.now
        measuring.cancel()
        await #expect(throws: CancellationError.self) { try await measuring.value }
        #expect(cancelledAt.duration(to: .now) < .milliseconds(500))
        let served = server.requestsServed
        try await Task.sleep(for: .milliseconds(200))
        #expect(server.requestsServed - served <= 4, "requests kept coming after the cancellation")
    }

    @Test func badParametersAreClearErrors() async throws {
        await #expect(throws: DriverError.self) { try await observe("{ url: 'http://127.0.0.1:1/', rate: 10/s, concurrency: 2 }") }
        let error = await #expect(throws: DriverError.self) {
            try await observe("{ url: 'http://127.0.0.1:1/', rate: 10/s, success-status: [2xx, '700'] }")
        }
        #expect(error?.description == "traffic: `success-status`: `700` is not a status (200), a range (200-399) or a class (2xx)")
    }
}
