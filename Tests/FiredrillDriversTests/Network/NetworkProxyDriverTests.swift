import FiredrillCore
import FiredrillTestSupport
import Foundation
import Synchronization
import Testing

@testable import FiredrillDrivers

/// `network.proxy` in front of a real echo server on loopback, with real clients: what passes, what each toxic
/// does to it, and the counters that prove it.
@Suite("network.proxy against a real echo server", .serialized)
struct NetworkProxyDriverTests {
    /// Starts a proxy named `name` in front of `echo`; returns its port and the test context.
    static func start(_ name: String, _ echo: EchoServer, extra: String = "", onWillApply: @escaping @Sendable (UndoAction) async -> Void = { _ in })
        async throws -> (port: Int, context: CloudTestContext, intent: UndoAction) {
        let context = CloudTestContext(onWillApply: onWillApply)
        let outcome = try await NetworkProxyDriver().run(
            try params("{ name: \(name), listen: '127.0.0.1:0', upstream: '127.0.0.1:\(echo.port)', report-every: 200ms\(extra) }"),
            context: context.context)
        let listen = try #require(outcome.output["listen"]?.stringValue)
        let port = try #require(Int(listen.split(separator: ":").last ?? ""))
        let intent = try #require(await context.intents.first).action
        return (port, context, intent)
    }

    static func stop(_ intent: UndoAction) async throws -> String {
        try await NetworkProxyStopUndo().undo(intent.params, context: DriverContext(name: "undo", timeout: .seconds(30)))
    }

    /// Every client's connection ends (reset, or closed after a reset), the proxy stops, and its last counters show
    /// a reset for each.
    static func expectEveryClientReset(_ clients: [LoopbackClient], context: CloudTestContext, intent: UndoAction) async throws {
        var ends: [LoopbackClient.ReadEnd] = []
        for client in clients { ends.append(client.read(1, timeoutMs: 10_000).end) }
        #expect(ends.allSatisfy { $0 == .reset || $0 == .closed }, "\(ends)")
        _ = try await stop(intent)
        let resets = await context.records("proxy.counters").last?["toxics"]?["reset-peer"]?.intValue ?? 0
        #expect(resets >= clients.count, "\(resets) resets")
    }

    static func payload(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    @Test func forwardsBothWaysJournalsTheUndoFirstAndCountsBytes() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let port = try LoopbackPort.free()
        let listeningAtIntent = Mutex<Bool?>(nil)
        let context = CloudTestContext(onWillApply: { _ in listeningAtIntent.withLock { $0 = LoopbackClient(port: port) != nil } })
        let outcome = try await NetworkProxyDriver().run(
            try params("{ name: plain, listen: '127.0.0.1:\(port)', upstream: '127.0.0.1:\(echo.port)', report-every: 200ms }"),
            context: context.context)
        #expect(outcome.output["listen"]?.stringValue == "127.0.0.1:\(port)")
        #expect(listeningAtIntent.withLock { $0 } == false, "the undo must be journaled before the proxy listens")
        let intent = try #require(await context.intents.first).action
        #expect(intent.key == "network.proxy.stop")

        let data = Self.payload(1 << 20)
        let client = try #require(LoopbackClient(port: port))
        #expect(client.roundTrip(data) != nil, "1 MiB must come back intact through the proxy")
        var periodic: [JSONValue] = []
        for _ in 0..<200 where !periodic.contains(where: { $0["connections"] == 1 }) {
            try await Task.sleep(for: .milliseconds(50))
            periodic = await context.records("proxy.counters")
        }
        #expect(periodic.contains { $0["final"] == false && $0["connections"] == 1 }, "\(periodic)")

        let how = try await Self.stop(intent)
        #expect(how.hasPrefix("stopped proxy plain on 127.0.0.1:\(port)"), "\(how)")
        let last = try #require(await context.records("proxy.counters").last)
        #expect(last["final"] == true)
        #expect(last["bytes-upstream"]?.doubleValue == Double(1 << 20))
        #expect(last["bytes-downstream"]?.doubleValue == Double(1 << 20))
        #expect(echo.bytesReceived == 1 << 20)
        #expect(LoopbackClient(port: port) == nil, "the port must be free once the proxy stopped")
        #expect(try await Self.stop(intent).hasPrefix("nothing left"), "a second undo finds nothing")
    }

    @Test func latencySetAndClearedByLaterStepsDelaysEveryRoundTrip() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, _, intent) = try await Self.start("slow", echo)
        defer { Task { _ = try? await Self.stop(intent) } }
        let client = try #require(LoopbackClient(port: port))
        let before = try #require(client.roundTrip(Self.payload(64)))

        let setContext = CloudTestContext()
        _ = try await NetworkProxyDriver().run(try params("{ set: slow, latency: 200ms, jitter: 10ms, direction: upstream }"), context: setContext.context)
        #expect(await setContext.intents.first?.action.key == "network.proxy.clear")
        var delayed: [Double] = []
        for _ in 0..<5 { delayed.append(try #require(client.roundTrip(Self.payload(64)))) }
        #expect(delayed.allSatisfy { $0 >= 0.185 && $0 < 3 }, "round trips with 200ms ± 10ms upstream: \(delayed), before: \(before)")

        _ = try await NetworkProxyDriver().run(try params("{ clear: slow }"), context: CloudTestContext().context)
        // The fastest of three (a loaded machine may slow one): no 200 ms delay is left.
        var after: [Double] = []
        for _ in 0..<3 { after.append(try #require(client.roundTrip(Self.payload(64)))) }
        #expect(after.min()! < 0.15, "after clear: \(after)")
        let how = try await Self.stop(intent)
        #expect(how.contains("latency 1"), "\(how)")
    }

    @Test func resetAfterBytesResetsTheClient() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("reset", echo, extra: ", reset-after: 4KiB, direction: downstream")
        let client = try #require(LoopbackClient(port: port))
        client.send(Self.payload(16 * 1024))
        let (bytes, end) = client.read(16 * 1024, timeoutMs: 10_000)
        #expect(end == .reset || end == .closed, "\(end)")
        #expect(bytes.count <= 4096, "\(bytes.count) bytes came back past the 4 KiB reset")
        _ = try await Self.stop(intent)
        let last = try #require(await context.records("proxy.counters").last)
        #expect(last["toxics"]?["reset-peer"] == 1, "\(last)")
    }

    @Test func blackholeReadsButNeverForwards() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("hole", echo, extra: ", blackhole: true, direction: upstream")
        let client = try #require(LoopbackClient(port: port))
        #expect(client.send(Self.payload(1000)))
        let (bytes, end) = client.read(1000, timeoutMs: 700)
        #expect(bytes.isEmpty && end == .timedOut, "\(bytes.count) bytes, \(end)")
        #expect(echo.bytesReceived == 0)
        _ = try await Self.stop(intent)
        let last = try #require(await context.records("proxy.counters").last)
        #expect(last["blackholed-bytes"] == 1000, "\(last)")
        #expect(last["toxics"]?["blackhole"] == 1, "\(last)")
    }

    @Test func toxicsSetOnALiveConnectionReachTheBytesSentAfterThem() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("live", echo)
        let client = try #require(LoopbackClient(port: port))
        // No toxic yet: 2 MiB go straight through both ways (the zero-copy path) and come back intact.
        let bulk = Self.payload(2 << 20)
        #expect(client.roundTrip(bulk, timeoutMs: 30_000) != nil, "2 MiB must come back intact")

        // The pumps now wait for data on the same connection; a later step's toxics apply to what comes next.
        _ = try await NetworkProxyDriver().run(try params("{ set: live, latency: 300ms, direction: downstream }"), context: CloudTestContext().context)
        let delayed = try #require(client.roundTrip(Self.payload(64)))
        #expect(delayed >= 0.28 && delayed < 5, "a round trip after `latency: 300ms` took \(delayed)s")

        _ = try await NetworkProxyDriver().run(try params("{ set: live, blackhole: true, direction: upstream }"), context: CloudTestContext().context)
        #expect(client.send(Self.payload(1000)))
        let (dropped, end) = client.read(1000, timeoutMs: 1_000)
        #expect(dropped.isEmpty && end == .timedOut, "\(dropped.count) bytes, \(end)")

        _ = try await NetworkProxyDriver().run(try params("{ clear: live }"), context: CloudTestContext().context)
        let after = try #require(client.roundTrip(Self.payload(64)))
        #expect(after < 0.25, "after clear: \(after)s")

        _ = try await Self.stop(intent)
        let last = try #require(await context.records("proxy.counters").last)
        #expect(last["bytes-upstream"]?.intValue == bulk.count + 64 + 1000 + 64, "\(last)")
        #expect(last["bytes-downstream"]?.intValue == bulk.count + 64 + 64, "\(last)")
        #expect(last["blackholed-bytes"] == 1000, "\(last)")
        #expect(last["toxics"]?["latency"] == 1 && last["toxics"]?["blackhole"] == 1, "\(last)")
        #expect(echo.bytesReceived == bulk.count + 64 + 64)
    }

    @Test func aHalfCloseWithNoToxicPassesOnAfterEveryByte() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, _, intent) = try await Self.start("half-close", echo)
        let client = try #require(LoopbackClient(port: port))
        let data = Self.payload(300 * 1024)
        #expect(client.send(data))
        // The client is done sending; the echo still comes back in full, then the server's close arrives.
        _ = shutdown(client.fd, Int32(SHUT_WR))
        let (back, end) = client.read(data.count + 1, timeoutMs: 20_000)
        #expect(back == Array(data), "\(back.count) of \(data.count) bytes came back")
        #expect(end == .closed, "\(end)")
        _ = try await Self.stop(intent)
    }

    @Test func manyConnectionsAtOnceThenStopEndsThemAll() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("many", echo)
        let clients = (0..<20).compactMap { _ in LoopbackClient(port: port) }
        #expect(clients.count == 20)
        let data = (0..<20).map { i in Self.payload(48 * 1024 + i) }
        for (client, bytes) in zip(clients, data) { #expect(client.send(bytes)) }
        for (i, (client, bytes)) in zip(clients, data).enumerated() {
            let (back, end) = client.read(bytes.count, timeoutMs: 20_000)
            #expect(back == bytes && end == .complete, "client \(i): \(back.count) of \(bytes.count) bytes, \(end)")
        }
        _ = try await Self.stop(intent)
        for client in clients {
            let end = client.read(1, timeoutMs: 10_000).end
            #expect(end == .closed || end == .reset, "an open connection must end with the proxy: \(end)")
        }
        let last = try #require(await context.records("proxy.counters").last)
        let total = data.reduce(0) { $0 + $1.count }
        #expect(last["bytes-upstream"]?.intValue == total && last["bytes-downstream"]?.intValue == total, "\(last)")
        #expect(last["connections"] == 20 && last["active"] == 0, "\(last)")
    }

    @Test func resetRateSetLaterResetsConnectionsOpenedWithoutToxic() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("flaky-later", echo)
        let clients = (0..<3).compactMap { _ in LoopbackClient(port: port) }
        #expect(clients.count == 3)
        for client in clients { #expect(client.roundTrip(Self.payload(100)) != nil) }
        _ = try await NetworkProxyDriver().run(try params("{ set: flaky-later, reset-rate: 20/s }"), context: CloudTestContext().context)
        try await Self.expectEveryClientReset(clients, context: context, intent: intent)
    }

    @Test func aToxicSetMidTransferLosesAndReordersNothing() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("midway", echo)
        let client = try #require(LoopbackClient(port: port))
        let data = Self.payload(16 << 20)
        // The client sends 16 MiB while it reads the echo; halfway through, a step sets a delay on the way back,
        // so the connection changes hands with bytes in flight both ways.
        let sender = Thread { client.send(data) }
        sender.start()
        var back: [UInt8] = []
        back.reserveCapacity(data.count)
        var set = false
        var end = LoopbackClient.ReadEnd.complete
        for _ in 0..<10_000 where back.count < data.count {
            let (piece, how) = client.read(min(256 * 1024, data.count - back.count), timeoutMs: 20_000)
            back += piece
            end = how
            if how != .complete { break }
            if !set, back.count >= data.count / 2 {
                set = true
                _ = try await NetworkProxyDriver().run(try params("{ set: midway, latency: 20ms, direction: downstream }"), context: CloudTestContext().context)
            }
        }
        #expect(set && end == .complete, "\(back.count) of \(data.count) bytes, \(end)")
        #expect(back == data, "the echo must come back whole and in order across the change")
        _ = try await Self.stop(intent)
        let last = try #require(await context.records("proxy.counters").last)
        #expect(last["bytes-upstream"]?.intValue == data.count && last["bytes-downstream"]?.intValue == data.count, "\(last)")
        #expect(last["toxics"]?["latency"] == 1, "\(last)")
    }

    @Test func refuseStopsListeningUntilCleared() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, _, intent) = try await Self.start("door", echo)
        defer { Task { _ = try? await Self.stop(intent) } }
        _ = try await NetworkProxyDriver().run(try params("{ set: door, refuse: true }"), context: CloudTestContext().context)
        var refused = false
        for _ in 0..<50 where !refused {
            if let c = LoopbackClient(port: port) { _ = c } else { refused = true }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(refused, "connections must be refused while `refuse` is set")
        _ = try await NetworkProxyDriver().run(try params("{ clear: door }"), context: CloudTestContext().context)
        var open = false
        for _ in 0..<50 where !open {
            if let c = LoopbackClient(port: port) { open = c.roundTrip([1, 2, 3]) != nil }
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(open, "the proxy must listen again once cleared")
    }

    @Test func percentHitsAShareOfConnections() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("half", echo, extra: ", latency: 150ms, percent: 50%")
        var slow = 0
        for _ in 0..<40 {
            let client = try #require(LoopbackClient(port: port))
            let seconds = try #require(client.roundTrip([7]))
            if seconds >= 0.2 { slow += 1 }
        }
        _ = try await Self.stop(intent)
        #expect((6...34).contains(slow), "\(slow) of 40 connections delayed at 50%")
        let last = try #require(await context.records("proxy.counters").last)
        // A round trip that was slow for another reason (a loaded machine) may count as delayed: allow two.
        let hit = try #require(last["toxics"]?["latency"]?.intValue, "\(last)")
        #expect(abs(hit - slow) <= 2 && (6...34).contains(hit), "counted \(hit) delayed, measured \(slow) slow")
        #expect(last["connections"] == 40)
    }

    @Test func bandwidthCapsThroughput() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, _, intent) = try await Self.start("thin", echo, extra: ", bandwidth: 64KiB, direction: upstream")
        defer { Task { _ = try? await Self.stop(intent) } }
        let client = try #require(LoopbackClient(port: port))
        let seconds = try #require(client.roundTrip(Self.payload(160 * 1024), timeoutMs: 20_000))
        #expect(seconds >= 1.8 && seconds < 15, "160 KiB at 64 KiB/s took \(seconds)s")
    }

    @Test func slowCloseHoldsTheCloseBack() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("lazy", echo, extra: ", slow-close: 600ms, direction: downstream")
        let client = try #require(LoopbackClient(port: port))
        #expect(client.roundTrip([1, 2, 3]) != nil)
        let start = ContinuousClock.now
        _ = shutdown(client.fd, Int32(SHUT_WR))
        let (_, end) = client.read(1, timeoutMs: 10_000)
        let waited = start.duration(to: .now).seconds
        #expect(end == .closed, "\(end)")
        #expect(waited >= 0.5 && waited < 5, "the close arrived after \(waited)s with slow-close 600ms")
        _ = try await Self.stop(intent)
        #expect(await context.records("proxy.counters").last?["toxics"]?["slow-close"] == 1)
    }

    @Test func resetRateResetsOpenConnections() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let (port, context, intent) = try await Self.start("flaky", echo, extra: ", reset-rate: 20/s")
        let clients = (0..<3).compactMap { _ in LoopbackClient(port: port) }
        #expect(clients.count == 3)
        try await Self.expectEveryClientReset(clients, context: context, intent: intent)
    }

    @Test func setOnAProxyThatIsNotRunningFailsWithItsName() async throws {
        let error = await #expect(throws: DriverError.self) {
            try await NetworkProxyDriver().run(try params("{ set: nowhere, latency: 1s }"), context: CloudTestContext().context)
        }
        #expect(error?.description.contains("no proxy named `nowhere`") == true, "\(String(describing: error))")
    }

    @Test func aListenAddressInUseFailsAndOwesNothing() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let context = CloudTestContext()
        await #expect(throws: DriverError.self) {
            try await NetworkProxyDriver().run(
                try params("{ name: clash, listen: '127.0.0.1:\(echo.port)', upstream: '127.0.0.1:\(echo.port)' }"), context: context.context)
        }
        #expect(await context.undone == ["the proxy never started"])
    }

    @Test func forRunsThenStopsByItself() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let context = CloudTestContext()
        let port = try LoopbackPort.free()
        let outcome = try await NetworkProxyDriver().run(
            try params("{ name: brief, listen: '127.0.0.1:\(port)', upstream: '127.0.0.1:\(echo.port)', for: 300ms }"), context: context.context)
        #expect(outcome.output["counters"]?["connections"] == 0)
        #expect(await context.undone.first?.hasPrefix("stopped after 300ms") == true)
        #expect(LoopbackClient(port: port) == nil)
    }

    @Test func startSetAndClearReadExactlyTheDeclaredParameters() async throws {
        let echo = try EchoServer()
        defer { echo.stop() }
        let reads = ParamReadLog()
        try await ParamReadLog.$current.withValue(reads) {
            let (_, _, intent) = try await Self.start("reads", echo, extra: ", latency: 1ms, direction: both, percent: 100%")
            _ = try await NetworkProxyDriver().run(
                try params("{ set: reads, jitter: 1ms, latency: 2ms, bandwidth: 1MiB, reset-after: 1MiB, reset-rate: 1/s, blackhole: false, refuse: false, slow-close: 1ms, for: 10ms }"),
                context: CloudTestContext().context)
            _ = try await NetworkProxyDriver().run(try params("{ clear: reads }"), context: CloudTestContext().context)
            _ = try await Self.stop(intent)
        }
        let declared = Set(NetworkProxyDriver.spec.params.map(\.name))
        let read = reads.read(by: "network.proxy")
        #expect(read.subtracting(declared).isEmpty, "reads undeclared parameters: \(read.subtracting(declared).sorted())")
        #expect(declared.subtracting(read).isEmpty, "declares parameters it never reads: \(declared.subtracting(read).sorted())")
    }
}

@Suite("network.proxy parameters in a plan")
struct NetworkProxyPlanTests {
    @Test func aListenWithoutUpstreamIsRefusedAtItsPlace() throws {
        let yaml = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: proxy-plan
        title: a proxy without upstream
        environment: test
        method:
          - name: slow
            network.proxy: { listen: "127.0.0.1:0", latency: 100ms }
          - name: both
            network.proxy: { set: db, clear: db }
        """
        let result = PlanLoader.load(data: Data(yaml.utf8), path: "proxy.yaml", catalog: TestCatalog.builtin)
        let lines = result.errors.map(\.headline)
        #expect(lines.contains { $0.hasPrefix("proxy.yaml:8:") && $0.contains("sets `listen`, which needs `upstream` too") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("proxy.yaml:10:") && $0.contains("takes only one of `listen`, `set`, `clear`") }, "\(lines)")
    }
}
