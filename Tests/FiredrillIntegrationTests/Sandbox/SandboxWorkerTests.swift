import Foundation
import Testing

@testable import FiredrillSandbox

#if canImport(Glibc)
import Glibc
#endif

@Suite("Sandbox worker")
struct SandboxWorkerTests {
    /// A worker on a free port, stopped when `body` returns.
    private func withWorker<T>(
        index: Int = 0, maxConnections: Int = 512, _ body: (SandboxWorker) async throws -> T
    ) async throws -> T {
        let worker = try SandboxWorker(config: SandboxWorkerConfig(port: 0, index: index, maxConnections: maxConnections))
        worker.start()
        defer { worker.stop() }
        return try await body(worker)
    }

    private struct Health: Decodable, Equatable {
        var status: String
        var worker: Int
        var pid: Int32
    }

    @Test func healthReportsWorkerAndPid() async throws {
        try await withWorker(index: 7) { worker in
            let response = try TestHTTPConnection.get(port: worker.port, "/health")
            #expect(response.status == 200)
            #expect(response.headers["content-type"] == "application/json")
            let health = try JSONDecoder().decode(Health.self, from: Data(response.body.utf8))
            #expect(health == Health(status: "healthy", worker: 7, pid: getpid()))
        }
    }

    @Test func routesAnswerAsDocumented() async throws {
        try await withWorker { worker in
            let port = worker.port
            let root = try TestHTTPConnection.get(port: port, "/")
            #expect(root.status == 200)
            #expect(root.body.contains("firedrill sandbox worker 0"))
            #expect(try TestHTTPConnection.get(port: port, "/status/418").status == 418)
            #expect(try TestHTTPConnection.get(port: port, "/status/503").status == 503)
            #expect(try TestHTTPConnection.get(port: port, "/status/204").body.isEmpty)
            #expect(try TestHTTPConnection.get(port: port, "/status/99").status == 400)
            #expect(try TestHTTPConnection.get(port: port, "/nope").status == 404)
            #expect(try TestHTTPConnection.get(port: port, "/slow?ms=abc").status == 400)

            let clock = ContinuousClock()
            let started = clock.now
            let slow = try TestHTTPConnection.get(port: port, "/slow?ms=200")
            #expect(slow.status == 200)
            #expect(clock.now - started >= .milliseconds(200))

            let post = try TestHTTPConnection(port: port)
            try post.send("POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello")
            #expect(try post.readResponse().status == 405)

            let garbage = try TestHTTPConnection(port: port)
            try garbage.send("NONSENSE\r\n\r\n")
            #expect(try garbage.readResponse().status == 400)
        }
    }

    @Test func keepAliveServesManyRequestsOnOneConnectionUntilClose() async throws {
        try await withWorker { worker in
            let connection = try TestHTTPConnection(port: worker.port)
            for _ in 0..<3 {
                let response = try connection.get("/health")
                #expect(response.status == 200)
                #expect(response.headers["connection"] == "keep-alive")
            }
            // Two pipelined requests in one write.
            try connection.send("GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /status/201 HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try connection.readResponse().status == 200)
            #expect(try connection.readResponse().status == 201)

            let last = try connection.get("/health", headers: ["Connection: close"])
            #expect(last.status == 200)
            #expect(last.headers["connection"] == "close")
            #expect(connection.isClosedByPeer())

            let old = try TestHTTPConnection(port: worker.port)
            try old.send("GET /health HTTP/1.0\r\n\r\n")
            #expect(try old.readResponse().headers["connection"] == "close")
            #expect(old.isClosedByPeer())
        }
    }

    @Test func servesManyConcurrentConnections() async throws {
        try await withWorker { worker in
            let connections = try (0..<100).map { _ in try TestHTTPConnection(port: worker.port) }
            for connection in connections {
                try connection.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            }
            var statuses: [Int] = []
            for connection in connections { statuses.append(try connection.readResponse().status) }
            #expect(statuses == Array(repeating: 200, count: 100))
            #expect(worker.connectionCount == 100)
        }
    }

    @Test func connectionsBeyondTheLimitGet503() async throws {
        try await withWorker(maxConnections: 2) { worker in
            let first = try TestHTTPConnection(port: worker.port)
            let second = try TestHTTPConnection(port: worker.port)
            #expect(try first.get("/health").status == 200)
            #expect(try second.get("/health").status == 200)
            let third = try TestHTTPConnection(port: worker.port)
            #expect(try third.readResponse().status == 503)
        }
    }

    @Test func workersShareAPortAndStoppingAllRefusesConnections() async throws {
        let first = try SandboxWorker(config: SandboxWorkerConfig(port: 0, index: 0))
        first.start()
        defer { first.stop() }
        let second = try SandboxWorker(config: SandboxWorkerConfig(port: first.port, index: 1))
        second.start()
        defer { second.stop() }
        #expect(second.port == first.port)

        first.stop()
        for _ in 0..<5 {
            let response = try TestHTTPConnection.get(port: second.port, "/health")
            #expect(response.headers["x-sandbox-worker"] == "1")
        }
        second.stop()
        #expect(throws: TestHTTPConnection.Failure.refused) { try TestHTTPConnection(port: first.port) }
    }

    @Test func parsesRequestHeads() throws {
        let text = "GET /slow?ms=20&x HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, Upgrade\r\nContent-Length: 3\r\n\r\n"
        let bytes = Array(text.utf8)
        #expect(HTTPRequestHead.endOfHead(in: bytes) == bytes.count)
        #expect(HTTPRequestHead.endOfHead(in: Array(bytes.dropLast())) == nil)
        let head = try HTTPRequestHead.parse(bytes[...])
        #expect(head.method == "GET")
        #expect(head.path == "/slow")
        #expect(head.query == ["ms": "20", "x": ""])
        #expect(head.keepAlive)
        #expect(try head.contentLength() == 3)
        #expect(throws: HTTPParseError.unsupportedVersion("HTTP/2.0")) {
            try HTTPRequestHead.parse(Array("GET / HTTP/2.0\r\n\r\n".utf8)[...])
        }
    }
}
