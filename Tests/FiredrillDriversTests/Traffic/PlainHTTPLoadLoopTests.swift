import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// The built-in HTTP/1.1 load loop against real servers on 127.0.0.1, each run bounded by a deadline; and which
/// requests go to it rather than to libcurl.
@Suite("plain HTTP load loop", .serialized)
struct PlainHTTPLoadLoopTests {
    /// What one bounded run produced.
    struct Run {
        var outcomes: [(latency: Duration, outcome: LoadOutcome)] = []
        var totals = LoadTotals()

        var statuses: [Int] { outcomes.compactMap { if case .status(let status) = $0.outcome { status } else { nil } } }
        var failures: [HTTPError] { outcomes.compactMap { if case .failed(let error) = $0.outcome { error } else { nil } } }
    }

    private func run(_ request: HTTPRequest, _ schedule: LoadSchedule, for duration: Duration = .milliseconds(400),
                     maxInFlight: Int = 64) throws -> Run {
        let loop = try #require(PlainHTTPLoadLoop(request: request, maxInFlight: maxInFlight))
        let stop = FloodStopSignal()
        let start = ContinuousClock.now
        var outcomes: [(latency: Duration, outcome: LoadOutcome)] = []
        let totals = loop.run(schedule, start: start, until: start + duration, stop: stop) { latency, outcome, _ in
            outcomes.append((latency, outcome))
        }
        return Run(outcomes: outcomes, totals: totals)
    }

    @Test func aClosedLoopKeepsOneConnectionPerRequestInFlight() throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let result = try run(HTTPRequest(url: "\(server.baseURL)/health"), .closed(concurrency: 4))
        #expect(result.outcomes.count > 50)
        #expect(result.statuses.count == result.outcomes.count && result.statuses.allSatisfy { $0 == 200 })
        #expect(result.outcomes.count == server.requestsServed)
        #expect(result.totals.sent == result.outcomes.count)
        #expect(result.totals.maxInFlight == 4)
        #expect(server.acceptedConnections == 4)
    }

    @Test func theServerSeesWhatLibcurlSends() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let requests = [
            HTTPRequest(url: "\(server.baseURL)/echo?x=1#fragment"),
            HTTPRequest(method: .post, url: "\(server.baseURL)/echo", headers: [HTTPHeader("X-Test", "1"), HTTPHeader("Accept", "application/json")],
                        body: Data()),
            HTTPRequest(method: .head, url: "\(server.baseURL)/echo", headers: [HTTPHeader("User-Agent", "drill"), HTTPHeader("X-Empty", "")]),
            HTTPRequest(method: "DELETE", url: "\(server.baseURL)/echo", headers: [HTTPHeader("Host", "example.test")]),
        ]
        let client = HTTPClient(maxConcurrentTransfers: 1)
        for request in requests {
            _ = try await client.send(request)
            let viaCurl = try #require(server.lastRequest)
            _ = try run(request, .closed(concurrency: 1), for: .milliseconds(20))
            let builtIn = try #require(server.lastRequest)
            #expect(builtIn.method == viaCurl.method && builtIn.target == viaCurl.target, "\(request.method) \(request.url)")
            #expect(builtIn.headers.map { "\($0.name): \($0.value)" } == viaCurl.headers.map { "\($0.name): \($0.value)" },
                    "\(request.method) \(request.url)")
        }
    }

    @Test func aServerThatClosesEveryConnectionIsReconnected() throws {
        let server = try CannedHTTPServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", closeAfterResponse: true)
        defer { server.stop() }
        let result = try run(HTTPRequest(url: server.url), .closed(concurrency: 2))
        #expect(result.outcomes.count > 20)
        #expect(result.statuses.count == result.outcomes.count, "\(result.failures.prefix(3))")
        #expect(result.outcomes.count == server.requestsAnswered)
        #expect(server.acceptedConnections == result.outcomes.count)
    }

    @Test func http10AndCloseDelimitedAndChunkedBodies() throws {
        let responses = [
            ("HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", true),
            ("HTTP/1.0 200 OK\r\n\r\nthe body runs to the close", true),
            ("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok", false),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nabcd\r\n0\r\nTrailer: 1\r\n\r\n", false),
        ]
        for (response, closes) in responses {
            let server = try CannedHTTPServer(response, closeAfterResponse: closes)
            defer { server.stop() }
            let result = try run(HTTPRequest(url: server.url), .closed(concurrency: 2), for: .milliseconds(200))
            #expect(result.outcomes.count > 10, "\(response.debugDescription)")
            #expect(result.statuses.count == result.outcomes.count, "\(response.debugDescription): \(result.failures.prefix(3))")
            #expect(result.outcomes.count == server.requestsAnswered)
            #expect(closes ? server.acceptedConnections == result.outcomes.count : server.acceptedConnections == 2,
                    "\(response.debugDescription): \(server.acceptedConnections) connections")
        }
    }

    @Test func aKeptAliveConnectionClosedUnansweredIsRetriedOnceOnAFreshOne() throws {
        // Every connection answers one request; the next one sent on it finds it closed.
        let server = try CannedHTTPServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", answersPerConnection: 1)
        defer { server.stop() }
        let result = try run(HTTPRequest(url: server.url), .closed(concurrency: 1), for: .milliseconds(200))
        #expect(result.outcomes.count > 10)
        #expect(result.statuses.count == result.outcomes.count, "\(result.failures.prefix(3))")
        #expect(server.requestsAnswered == result.outcomes.count)
    }

    @Test func aFreshConnectionClosedUnansweredIsAnEmptyReply() throws {
        let server = try CannedHTTPServer("", answersPerConnection: 0)
        defer { server.stop() }
        let result = try run(HTTPRequest(url: server.url), .open(rate: 100, phase: 0, stride: 1), for: .milliseconds(200))
        #expect(result.outcomes.count == 20)
        #expect(result.failures.count == 20)
        #expect(result.failures.allSatisfy { $0.kind == .other && $0.detail == "Empty reply from server" }, "\(result.failures.prefix(3))")
    }

    @Test func aMalformedResponseIsAFailureThatSaysWhy() throws {
        let server = try CannedHTTPServer("HTTP/1.1 200 OK\r\nContent-Length: nope\r\n\r\n")
        defer { server.stop() }
        let result = try run(HTTPRequest(url: server.url), .open(rate: 100, phase: 0, stride: 1), for: .milliseconds(100))
        #expect(result.failures.count == 10)
        #expect(result.failures.allSatisfy { $0.kind == .other && $0.detail == "malformed response: Content-Length \"nope\" is not a number" },
                "\(result.failures.prefix(3))")
        #expect(server.acceptedConnections == 10, "a connection that sent garbage is not reused")
    }

    @Test func refusedConnectionsAreConnectionRefused() throws {
        let port = try LoopbackPort.free()
        let result = try run(HTTPRequest(url: "http://127.0.0.1:\(port)/"), .open(rate: 100, phase: 0, stride: 1), for: .milliseconds(200))
        #expect(result.outcomes.count == 20)
        #expect(result.failures.allSatisfy { $0.kind == .connectionRefused }, "\(result.failures.prefix(3))")
        #expect(result.failures.first?.description.hasPrefix("GET http://127.0.0.1:\(port)/: connection refused (Failed to connect to 127.0.0.1 port \(port) after ") == true,
                "\(result.failures.first.map(String.init(describing:)) ?? "")")
    }

    @Test func aHungServerTimesOutFromTheSend() throws {
        let server = try CannedHTTPServer("", answersPerConnection: -1)
        defer { server.stop() }
        let result = try run(HTTPRequest(url: server.url, timeout: .milliseconds(150)), .closed(concurrency: 2), for: .milliseconds(100))
        // Two sent at the start, both ended by their timeout; none sent after the deadline.
        #expect(result.outcomes.count == 2)
        #expect(result.failures.allSatisfy { $0.kind == .timeout && $0.detail.hasPrefix("Operation timed out after ") }, "\(result.failures)")
        #expect(result.outcomes.allSatisfy { $0.latency >= .milliseconds(150) && $0.latency < .milliseconds(400) }, "\(result.outcomes.map(\.latency))")
    }

    @Test func stopEndsTheLoopAtOnce() throws {
        let server = try CannedHTTPServer("", answersPerConnection: -1)
        defer { server.stop() }
        let loop = try #require(PlainHTTPLoadLoop(request: HTTPRequest(url: server.url), maxInFlight: 8))
        let stop = FloodStopSignal()
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.1) { stop.signal() }
        let start = ContinuousClock.now
        var count = 0
        _ = loop.run(.closed(concurrency: 8), start: start, until: nil, stop: stop) { _, _, _ in count += 1 }
        #expect(start.duration(to: .now) < .milliseconds(500))
        #expect(count == 0, "requests in flight are dropped, not reported")
    }

    @Test func theEngineFollowsTheRequest() {
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "http://127.0.0.1:8080/health")) == .builtIn)
        #expect(TrafficLoad.engine(for: HTTPRequest(method: .post, url: "http://[::1]/x?y=1", headers: [HTTPHeader("A", "b")], body: Data())) == .builtIn)
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "https://127.0.0.1:8443/health")) == .curl)
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "http://127.0.0.1/", tls: TLSOptions(caFile: "ca.pem"))) == .curl)
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "http://127.0.0.1/", tls: TLSOptions(verifyPeer: false))) == .curl)
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "http://user:secret@127.0.0.1/")) == .curl)
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "http://127.0.0.1/a/../b")) == .curl)
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "http://127.0.0.1/", headers: [HTTPHeader("Expect", "100-continue")])) == .curl)
        #expect(TrafficLoad.engine(for: HTTPRequest(url: "http://127.0.0.1/", followRedirects: true)) == .curl)
        #expect(PlainHTTPRequest(HTTPRequest(url: "http://127.0.0.1/"), environment: ["http_proxy": "http://proxy:3128"]) == nil)
        #expect(PlainHTTPRequest(HTTPRequest(url: "http://127.0.0.1/"), environment: ["HTTP_PROXY": "http://proxy:3128"]) != nil,
                "libcurl ignores the uppercase http variable")
    }

    @Test func anHTTPSStreamStillGoesThroughLibcurl() async throws {
        // The loopback server answers a TLS ClientHello with a plain 400 and closes: only libcurl's TLS handshake sees
        // that as a TLS failure.
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        var context = CloudTestContext(timeout: .seconds(30)).context
        context.role = "steady-state"
        context.name = "tls-traffic"
        let observation = try await TrafficProbeDriver().observe(
            try params("{ url: 'https://127.0.0.1:\(server.port)/health', rate: 20/s, for: 200ms }"), context: context)
        let kinds = observation.value["error-kinds"]
        #expect((kinds?["TLS failure"]?.doubleValue ?? 0) >= 2, "\(observation.summary)")
        #expect(kinds?["request failed"] == nil && observation.value["statuses"]?["400"] == nil, "\(observation.summary)")
    }
}
