import FiredrillCore
import Foundation
import Testing

@testable import FiredrillDrivers

@Suite("flood.http against a local HTTP server")
struct HTTPFloodDriverTests {
    @Test func concurrencyModeKeepsRequestsInFlightForTheWholeDuration() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let recorder = CloudTestContext()
        let started = ContinuousClock.now
        let outcome = try await HTTPFloodDriver().run(
            try params("{ url: \"\(server.baseURL)/health\", concurrency: 4, for: 2s }"), context: recorder.context)
        let elapsed = started.duration(to: .now)
        let requests = try #require(outcome.output["requests"]?.intValue)
        #expect(requests > 10)
        #expect(outcome.output["ok"]?.intValue == requests)
        #expect(outcome.output["errors"] == 0)
        #expect(server.requestsServed >= requests)
        #expect(elapsed >= .milliseconds(1950) && elapsed < .seconds(5))
        #expect(await recorder.intents.first?.action.key == "flood.release")
        #expect(await recorder.undone == ["requests stopped after 2s"])
    }

    @Test func rateModeSendsOnScheduleAndCountsErrorStatuses() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let outcome = try await HTTPFloodDriver().run(
            try params("{ url: \"\(server.baseURL)/status/503\", rate: 20/s, for: 2s, method: HEAD }"), context: CloudTestContext().context)
        let requests = try #require(outcome.output["requests"]?.intValue)
        #expect((30...42).contains(requests), "sent \(requests) at 20/s for 2s")
        #expect(outcome.output["ok"] == 0)
        #expect(outcome.output["errors"]?.intValue == requests)
        #expect(outcome.output["statuses"]?["503"]?.intValue == requests)
    }

    @Test func connectionFailuresAreErrors() async throws {
        let listener = try HoldingTCPListener()
        let port = listener.port
        listener.stop()
        let outcome = try await HTTPFloodDriver().run(
            try params("{ url: \"http://127.0.0.1:\(port)/\", concurrency: 2, for: 1s }"), context: CloudTestContext().context)
        #expect(outcome.output["ok"] == 0)
        #expect((outcome.output["errors"]?.intValue ?? 0) > 0)
        #expect(outcome.output["failures"]?["connection refused"] == outcome.output["errors"])
    }

    @Test func cancellationStopsTheFloodPromptly() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let recorder = CloudTestContext()
        let run = Task {
            try await HTTPFloodDriver().run(try params("{ url: \"\(server.baseURL)/slow?ms=5000\", concurrency: 8, for: 60s }"), context: recorder.context)
        }
        try await Task.sleep(for: .milliseconds(300))
        let cancelledAt = ContinuousClock.now
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(cancelledAt.duration(to: .now) < .seconds(1))
        #expect(await recorder.undone == ["requests stopped: the step was cancelled"])
    }
}
