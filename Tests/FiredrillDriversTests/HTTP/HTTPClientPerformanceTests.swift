#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FiredrillDrivers
import Testing

@Suite("HTTPClient performance", .serialized)
struct HTTPClientPerformanceTests {
    /// 1,000 sequential GETs of /health on loopback. Prints wall time and the CPU time of the
    /// whole test process (client and in-process server together, so an upper bound for the client).
    @Test func thousandSequentialGets() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let request = HTTPRequest(url: server.baseURL + "/health")
        _ = try await client.send(request)

        let clock = ContinuousClock()
        let cpuBefore = Self.processCPU()
        let start = clock.now
        for _ in 0..<1000 {
            let response = try await client.send(request)
            try #require(response.status == 200)
        }
        let wall = clock.now - start
        let cpu = Self.processCPU() - cpuBefore

        print("HTTP 1000 sequential GETs: wall \(wall), process CPU \(cpu) (user+system, client+server)")
        #expect(wall < .seconds(4))
        #expect(cpu < .seconds(4))
    }

    /// 1,000 GETs of /health with 32 in flight at a time, as a traffic probe would send them.
    @Test func thousandGetsThirtyTwoInFlight() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let client = HTTPClient()
        let request = HTTPRequest(url: server.baseURL + "/health")

        let clock = ContinuousClock()
        let cpuBefore = Self.processCPU()
        let start = clock.now
        let successes = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<32 {
                group.addTask {
                    var ok = 0
                    for _ in stride(from: lane, to: 1000, by: 32) where try await client.send(request).status == 200 { ok += 1 }
                    return ok
                }
            }
            return try await group.reduce(0, +)
        }
        let wall = clock.now - start
        let cpu = Self.processCPU() - cpuBefore

        print("HTTP 1000 GETs, 32 in flight: wall \(wall), process CPU \(cpu) (user+system, client+server), \(server.acceptedConnections) connections")
        #expect(successes == 1000)
        // At most one thread, and so one connection, per request outstanding.
        #expect(server.acceptedConnections <= 32)
        #expect(wall < .seconds(4))
    }

    private static func processCPU() -> Duration {
        var usage = rusage()
        #if canImport(Glibc)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        func duration(_ time: timeval) -> Duration { .seconds(Int64(time.tv_sec)) + .microseconds(Int64(time.tv_usec)) }
        return duration(usage.ru_utime) + duration(usage.ru_stime)
    }
}
