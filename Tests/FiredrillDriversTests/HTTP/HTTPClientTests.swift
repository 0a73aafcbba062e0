import FiredrillDrivers
import Foundation
import Testing

@Suite("HTTPClient")
struct HTTPClientTests {
    private let clock = ContinuousClock()

    @Test func healthReturnsStatusHeadersAndBody() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()

        let response = try await client.send(HTTPRequest(url: server.baseURL + "/health"))

        #expect(response.status == 200)
        #expect(response.header("content-type") == "application/json")
        #expect(response.header("Content-Length") == "\(LoopbackHTTPServer.healthBody.utf8.count)")
        #expect(response.bodyText == LoopbackHTTPServer.healthBody)
        #expect(!response.bodyTruncated)
        #expect(response.httpVersion == .http1_1)
        #expect(response.effectiveURL == server.baseURL + "/health")
    }

    @Test func errorStatusIsAResponseNotAnError() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }

        let response = try await HTTPClient().send(HTTPRequest(url: server.baseURL + "/status/503"))

        #expect(response.status == 503)
        #expect(response.bodyText == "status 503")
    }

    @Test func timingsAreMonotoneAndNonZero() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }

        let timings = try await HTTPClient().send(HTTPRequest(url: server.baseURL + "/slow?ms=20")).timings

        #expect(timings.dns <= timings.connect)
        #expect(timings.connect <= timings.tls)
        #expect(timings.tls <= timings.firstByte)
        #expect(timings.firstByte <= timings.total)
        #expect(timings.connect > .zero)
        #expect(timings.firstByte >= .milliseconds(20))
        #expect(timings.total < .seconds(2))
        #expect(timings.tlsSpan == .zero)
        let spans = timings.dnsSpan + timings.connectSpan + timings.tlsSpan + timings.waitSpan + timings.transferSpan
        #expect(spans == timings.total)
    }

    @Test func sendsMethodHeadersInOrderAndBody() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let request = HTTPRequest(
            method: .put,
            url: server.baseURL + "/echo?x=1",
            headers: [HTTPHeader("X-First", "1"), HTTPHeader("Authorization", "Bearer abc"), HTTPHeader("X-Empty", ""), HTTPHeader("X-First", "2")],
            body: Data("payload".utf8)
        )

        let response = try await HTTPClient().send(request)

        let lines = response.bodyText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "PUT /echo?x=1")
        let sent = lines.filter { $0.hasPrefix("X-First") || $0.hasPrefix("Authorization") || $0.hasPrefix("X-Empty") }
        #expect(sent == ["X-First: 1", "Authorization: Bearer abc", "X-Empty: ", "X-First: 2"])
        #expect(!lines.contains { $0.hasPrefix("Expect") })
        #expect(lines.last == "payload")
        #expect(response.headers(named: "x-multi") == ["a", "b"])
    }

    @Test func postWithoutBodyAndHead() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()

        let post = try await client.send(HTTPRequest(method: .post, url: server.baseURL + "/echo"))
        #expect(post.bodyText.hasPrefix("POST /echo\n"))
        #expect(post.bodyText.contains("Content-Length: 0"))

        let head = try await client.send(HTTPRequest(method: .head, url: server.baseURL + "/health"))
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Type") == "application/json")
    }

    @Test func connectionRefusedFailsFast() async throws {
        let port = try closedLoopbackPort()
        let url = "http://127.0.0.1:\(port)/health"
        let start = clock.now

        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(url: url))
        }

        #expect(clock.now - start < .seconds(1))
        #expect(error?.kind == .connectionRefused)
        #expect(error?.description.hasPrefix("GET \(url): connection refused (") == true)
        #expect(error?.description.contains("\(port)") == true)
    }

    @Test func slowResponseTimesOut() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let start = clock.now

        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(url: server.baseURL + "/slow?ms=3000", timeout: .milliseconds(200)))
        }

        let elapsed = clock.now - start
        #expect(error?.kind == .timeout)
        #expect(elapsed >= .milliseconds(190))
        #expect(elapsed < .milliseconds(2_500), "not the 3 s the server takes")
    }

    @Test func connectTimeoutAgainstAFullBacklog() async throws {
        let listener = try FullBacklogListener()
        defer { listener.close() }
        try #require(listener.isFull, "the accept queue could not be filled")
        let start = clock.now

        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(
                url: "http://127.0.0.1:\(listener.port)/", timeout: .seconds(5), connectTimeout: .milliseconds(200)))
        }

        #expect(error?.kind == .timeout)
        #expect(clock.now - start < .seconds(1))
    }

    @Test func cancellationStopsTheTransferQuickly() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let task = Task { try await client.send(HTTPRequest(url: server.baseURL + "/slow?ms=5000", timeout: .seconds(10))) }
        try await Task.sleep(for: .milliseconds(200))

        let cancelledAt = clock.now
        task.cancel()
        let result = await task.result
        let elapsed = clock.now - cancelledAt

        #expect(elapsed < .seconds(3), "not the 5 s the server takes")
        #expect(throws: HTTPError.self) { try result.get() }
        if case .failure(let error) = result { #expect((error as? HTTPError)?.kind == .cancelled) }

        // The worker is usable again afterwards.
        #expect(try await client.send(HTTPRequest(url: server.baseURL + "/health")).status == 200)
    }

    @Test func cancellingARequestQueuedBehindABusyPoolIsImmediate() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient(maxConcurrentTransfers: 1)
        let busy = Task { try await client.send(HTTPRequest(url: server.baseURL + "/slow?ms=3000")) }
        try await Task.sleep(for: .milliseconds(100))
        let queued = Task { try await client.send(HTTPRequest(url: server.baseURL + "/health")) }
        try await Task.sleep(for: .milliseconds(100))

        let cancelledAt = clock.now
        queued.cancel()
        let queuedResult = await queued.result
        #expect(clock.now - cancelledAt < .seconds(2), "not behind the 3 s transfer")
        busy.cancel()
        let busyResult = await busy.result

        for result in [queuedResult, busyResult] {
            if case .failure(let error) = result {
                #expect((error as? HTTPError)?.kind == .cancelled)
            } else {
                Issue.record("a cancelled request got a response")
            }
        }
        #expect(clock.now - cancelledAt < .seconds(1))
    }

    @Test func cancellationAtRandomMomentsAlwaysEnds() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let start = clock.now

        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<40 {
                group.addTask {
                    let task = Task { try await client.send(HTTPRequest(url: server.baseURL + "/slow?ms=15")) }
                    try? await Task.sleep(for: .microseconds(index * 750))
                    task.cancel()
                    switch await task.result {
                    case .success(let response): return "\(response.status)"
                    case .failure(let error): return (error as? HTTPError)?.kind.rawValue ?? "unexpected"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }

        #expect(outcomes.count == 40)
        #expect(outcomes.allSatisfy { $0 == "200" || $0 == "cancelled" }, "\(outcomes)")
        #expect(clock.now - start < .seconds(3))
        #expect(try await client.send(HTTPRequest(url: server.baseURL + "/health")).status == 200)
    }

    @Test func alreadyCancelledTaskDoesNotSend() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.send(HTTPRequest(url: server.baseURL + "/health"))
        }

        let result = await task.result

        if case .failure(let error) = result {
            #expect((error as? HTTPError)?.kind == .cancelled)
        } else {
            Issue.record("a cancelled task still got a response")
        }
        #expect(server.requestsServed == 0)
    }

    @Test func redirectIsFollowedOnlyWhenAsked() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()

        let notFollowed = try await client.send(HTTPRequest(url: server.baseURL + "/redirect"))
        #expect(notFollowed.status == 302)
        #expect(notFollowed.header("Location") == "/health")

        let followed = try await client.send(HTTPRequest(url: server.baseURL + "/redirect", followRedirects: true))
        #expect(followed.status == 200)
        #expect(followed.effectiveURL == server.baseURL + "/health")
        #expect(followed.header("Location") == nil)
        #expect(followed.header("Content-Type") == "application/json")
        #expect(followed.bodyText == LoopbackHTTPServer.healthBody)

        let error = await #expect(throws: HTTPError.self) {
            try await client.send(HTTPRequest(url: server.baseURL + "/redirect-loop", followRedirects: true, maxRedirects: 3))
        }
        #expect(error?.kind == .tooManyRedirects)
    }

    @Test func bigBodyIsTruncatedAtTheLimit() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()

        let capped = try await client.send(HTTPRequest(url: server.baseURL + "/big"))
        #expect(capped.status == 200)
        #expect(capped.bodyTruncated)
        #expect(capped.body.count == HTTPRequest.defaultMaxBodyBytes)

        let small = try await client.send(HTTPRequest(url: server.baseURL + "/big", maxBodyBytes: 1000))
        #expect(small.bodyTruncated)
        #expect(small.body.count == 1000)

        let whole = try await client.send(HTTPRequest(url: server.baseURL + "/big", maxBodyBytes: 4 << 20))
        #expect(!whole.bodyTruncated)
        #expect(whole.body.count == LoopbackHTTPServer.bigBodySize)
    }

    @Test func httpsToAPlainServerFailsWithoutHanging() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let start = clock.now
        let url = "https://127.0.0.1:\(server.port)/health"

        for tls in [TLSOptions(), TLSOptions(verifyPeer: false, verifyHost: false)] {
            let error = await #expect(throws: HTTPError.self) {
                try await HTTPClient().send(HTTPRequest(url: url, timeout: .seconds(3), tls: tls))
            }
            #expect(error?.kind == .tlsFailure || error?.kind == .other)
            #expect(error?.description.hasPrefix("GET \(url): ") == true)
        }
        #expect(clock.now - start < .seconds(2))
    }

    @Test func tlsFilesThatDoNotExistAreReported() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let tls = TLSOptions(caFile: "missing-ca.pem", clientCert: "missing-cert.pem", clientKey: "missing-key.pem")

        let error = await #expect(throws: HTTPError.self) {
            try await HTTPClient().send(HTTPRequest(url: "https://127.0.0.1:\(server.port)/", timeout: .seconds(3), tls: tls))
        }

        #expect(error?.kind == .tlsFailure)
    }

    @Test func invalidRequestsAreRefusedBeforeSending() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let invalid = [
            HTTPRequest(url: server.baseURL + "/health", headers: [HTTPHeader("X-Bad", "a\r\nInjected: yes")]),
            HTTPRequest(url: server.baseURL + "/health", headers: [HTTPHeader("Bad Name", "x")]),
            HTTPRequest(method: "GE T", url: server.baseURL + "/health"),
            HTTPRequest(url: server.baseURL + "/health", timeout: .zero),
            HTTPRequest(url: "ftp://127.0.0.1:\(server.port)/"),
            HTTPRequest(url: "file:///etc/hostname"),
            HTTPRequest(url: ""),
        ]

        for request in invalid {
            let error = await #expect(throws: HTTPError.self) { try await client.send(request) }
            #expect(error?.kind == .invalidRequest, "\(request.url)")
        }
        #expect(server.requestsServed == 0)
    }

    @Test func concurrentRequestsRunInParallel() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let start = clock.now

        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 {
                group.addTask { try await client.send(HTTPRequest(url: server.baseURL + "/slow?ms=300")).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }

        #expect(statuses == Array(repeating: 200, count: 20))
        #expect(clock.now - start < .seconds(2))
    }

    @Test func sequentialRequestsReuseHandlesAndConnections() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let request = HTTPRequest(url: server.baseURL + "/health")
        let start = clock.now

        for _ in 0..<500 {
            let response = try await client.send(request)
            try #require(response.status == 200)
        }

        #expect(clock.now - start < .seconds(2))
        #expect(server.requestsServed == 500)
        #expect(server.acceptedConnections <= 2)
    }
}
