import FiredrillCore
import Foundation
import Synchronization
import Testing

@testable import FiredrillDrivers

@Suite("flood.tcp against a real local listener")
struct TCPFloodDriverTests {
    @Test func holdsTwoThousandConnectionsThenReleasesThemAll() async throws {
        let listener = try HoldingTCPListener()
        defer { listener.stop() }
        let acceptedAtJournal = Mutex(-1)
        let recorder = CloudTestContext(onWillApply: { _ in acceptedAtJournal.withLock { $0 = listener.accepted } })
        let driver = TCPFloodDriver()
        let run = Task {
            try await driver.run(try params("{ host: 127.0.0.1, port: \(listener.port), connections: 2000, hold: 3s }"), context: recorder.context)
        }
        let allHeld = await listener.wait(upTo: .seconds(10)) { $0.open == 2000 }
        #expect(allHeld, "the listener held \(listener.open) connections")
        let outcome = try await run.value

        #expect(acceptedAtJournal.withLock { $0 } == 0, "the release must be journaled before the first connection")
        #expect(outcome.output["opened"] == 2000)
        #expect(outcome.output["held"] == 2000)
        #expect(outcome.output["refused"] == 0)
        #expect(outcome.output["dropped"] == 0)
        let released = await listener.wait(upTo: .seconds(5)) { $0.closedByPeer == 2000 }
        #expect(released, "the listener saw \(listener.closedByPeer) of 2000 close")
        let intent = try #require(await recorder.intents.first)
        #expect(intent.action.key == "flood.release")
        #expect(await recorder.undone == ["closed 2000 connections after 3s"])
        #expect(await recorder.records("flood.opened").first?["opened"] == 2000)
    }

    @Test func cancellationClosesEveryConnectionPromptly() async throws {
        let listener = try HoldingTCPListener()
        defer { listener.stop() }
        let recorder = CloudTestContext()
        let run = Task {
            try await TCPFloodDriver().run(try params("{ host: 127.0.0.1, port: \(listener.port), connections: 500, hold: 60s }"), context: recorder.context)
        }
        #expect(await listener.wait(upTo: .seconds(10)) { $0.open == 500 })
        let cancelledAt = ContinuousClock.now
        run.cancel()
        await #expect(throws: CancellationError.self) { try await run.value }
        #expect(cancelledAt.duration(to: .now) < .seconds(1))
        #expect(await listener.wait(upTo: .seconds(3)) { $0.closedByPeer == 500 }, "closed \(listener.closedByPeer) of 500")
        let undone = await recorder.undone
        #expect(undone.count == 1 && undone[0].hasSuffix("connections early: the step was cancelled")
                || undone == ["closed 500 connections at once: the step was cancelled"], "\(undone)")
    }

    @Test func openRateSpreadsTheOpening() async throws {
        let listener = try HoldingTCPListener()
        defer { listener.stop() }
        let outcome = try await TCPFloodDriver().run(
            try params("{ host: 127.0.0.1, port: \(listener.port), connections: 40, open-rate: 100/s, hold: 100ms }"), context: CloudTestContext().context)
        let seconds = try #require(outcome.output["open-seconds"]?.doubleValue)
        #expect(seconds >= 0.35 && seconds < 10, "opened 40 at 100/s in \(seconds)s")
        #expect(outcome.output["held"] == 40)
    }

    /// A rate that came from the environment at run time gets the validator's bounds: the step fails with the
    /// reason, and the pacing arithmetic itself clamps rather than trapping.
    @Test func anAbsurdOpenRateFailsTheStepInsteadOfTrapping() async throws {
        let listener = try HoldingTCPListener()
        defer { listener.stop() }
        let error = await #expect(throws: DriverError.self) {
            try await TCPFloodDriver().run(
                try params("{ host: 127.0.0.1, port: \(listener.port), connections: 10, open-rate: 100000000000000000000/s, hold: 100ms }"),
                context: CloudTestContext().context)
        }
        #expect(error?.description.contains("a rate may be at most 1000000/s") == true, "\(String(describing: error))")
        #expect((1e20 * 3.5).clampedInt == Int.max)
        #expect(Double.nan.clampedInt == 0)
        #expect((-Double.infinity).clampedInt == Int.min)
        #expect(2.9.clampedInt == 2)
    }

    @Test func aPortWithNoListenerFailsWithTheRefusals() async throws {
        let listener = try HoldingTCPListener()
        let port = listener.port
        listener.stop()
        let recorder = CloudTestContext()
        let error = await #expect(throws: DriverError.self) {
            try await TCPFloodDriver().run(try params("{ host: 127.0.0.1, port: \(port), connections: 20, hold: 1s }"), context: recorder.context)
        }
        #expect(error?.description == "flood.tcp: could not open any connection to 127.0.0.1:\(port): connection refused (20 refused, 0 failed)")
        #expect(await recorder.undone == ["no connection was opened"])
    }
}
