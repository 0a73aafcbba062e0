import FiredrillDrivers
import Testing

@Suite("TCPConnector")
struct TCPConnectorTests {
    private let clock = ContinuousClock()

    @Test func connectsToAListeningPort() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }

        let elapsed = try await TCPConnector.connect(host: "127.0.0.1", port: server.port, timeout: .seconds(2))

        #expect(elapsed > .zero)
        #expect(elapsed < .seconds(2))
    }

    @Test func resolvesLocalhostAndTriesEveryAddress() async throws {
        // "localhost" may resolve to ::1 first, where nothing listens; 127.0.0.1 must still be reached.
        let server = try LoopbackHTTPServer()
        defer { server.stop() }

        let elapsed = try await TCPConnector.connect(host: "localhost", port: server.port, timeout: .seconds(2))

        #expect(elapsed < .seconds(2))
    }

    @Test func refusedPort() async throws {
        let port = try closedLoopbackPort()
        let start = clock.now

        let error = await #expect(throws: TCPError.self) {
            try await TCPConnector.connect(host: "127.0.0.1", port: port, timeout: .seconds(2))
        }

        #expect(error?.kind == .refused)
        #expect(error?.description.hasPrefix("connect 127.0.0.1:\(port): connection refused") == true)
        #expect(clock.now - start < .seconds(1))
    }

    @Test func refusedOnIPv6LoopbackLiteral() async throws {
        let port = try closedLoopbackPort()

        let error = await #expect(throws: TCPError.self) {
            try await TCPConnector.connect(host: "[::1]", port: port, timeout: .seconds(2))
        }

        // Without IPv6 on the host, ::1 is unreachable or unsupported rather than refused.
        #expect(error?.kind == .refused || error?.kind == .unreachable || error?.kind == .other)
        #expect(error?.description.hasPrefix("connect [::1]:\(port): ") == true)
    }

    @Test func timesOutAgainstAFullBacklog() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        try #require(listener.isFull, "the accept queue could not be filled")
        let start = clock.now

        let error = await #expect(throws: TCPError.self) {
            try await TCPConnector.connect(host: "127.0.0.1", port: listener.port, timeout: .milliseconds(200))
        }

        let elapsed = clock.now - start
        #expect(error?.kind == .timeout)
        #expect(elapsed >= .milliseconds(190))
        #expect(elapsed < .seconds(5))
    }

    @Test func cancellationStopsAHangingConnect() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        try #require(listener.isFull, "the accept queue could not be filled")
        let port = listener.port
        let task = Task { try await TCPConnector.connect(host: "127.0.0.1", port: port, timeout: .seconds(10)) }
        try await Task.sleep(for: .milliseconds(100))

        let cancelledAt = clock.now
        task.cancel()
        let result = await task.result

        #expect(clock.now - cancelledAt < .seconds(5), "not the 10 s connect timeout")
        if case .failure(let error) = result {
            #expect((error as? TCPError)?.kind == .cancelled)
        } else {
            Issue.record("a hanging connect succeeded")
        }
    }

    @Test func invalidArgumentsAreRejected() async throws {
        for (host, port) in [("127.0.0.1", 0), ("127.0.0.1", 70_000), ("", 80)] {
            let error = await #expect(throws: TCPError.self) {
                try await TCPConnector.connect(host: host, port: port, timeout: .seconds(1))
            }
            #expect(error?.kind == .other)
        }
    }
}
