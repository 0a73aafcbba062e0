import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// The `redis` probe and `redis.pause-clients` against real redis-server fixtures (a missing redis-server fails
/// these tests).
@Suite("redis probe and redis.pause-clients against a real redis-server", .serialized)
struct RedisDriverTests {
    static func observe(_ yaml: String, secrets: [String] = []) async throws -> Observation {
        try await RedisProbeDriver().observe(try params(yaml), context: DriverContext(name: "redis", timeout: .seconds(10), secrets: secrets))
    }

    static func seconds(_ body: () -> Void) -> Double {
        let start = ContinuousClock.now
        body()
        return start.duration(to: .now).seconds
    }

    @Test func pingAndMemoryWithAuthFromASecret() async throws {
        let password = "pw-\(UUID().uuidString.prefix(8))"
        let redis = try await RedisFixture.start(password: password)
        defer { redis.stop() }
        let seen = try await Self.observe("{ address: '\(redis.address)', password: '\(password)' }", secrets: [password])
        #expect(seen.ok, "\(seen.summary)")
        #expect(seen.value["ping"] == true)
        #expect(seen.value["role"] == "master")
        #expect((seen.value["used-memory"]?.doubleValue ?? 0) > 0)
        #expect(seen.value["maxmemory"] == 0)
        #expect(seen.value["memory-percent"] == .null)
        #expect(redis.send("CONFIG SET maxmemory 200mb")?.contains("+OK") == true)
        let limited = try await Self.observe("{ address: '\(redis.address)', password: '\(password)' }", secrets: [password])
        let percent = try #require(limited.value["memory-percent"]?.doubleValue)
        #expect(percent > 0 && percent < 100, "\(percent)")

        let wrong = "wrong-\(password)"
        let refused = try await Self.observe("{ address: '\(redis.address)', password: '\(wrong)' }", secrets: [wrong])
        #expect(!refused.ok)
        #expect(refused.value["connected"] == false)
        #expect(refused.summary.contains("AUTH refused"), "\(refused.summary)")
        #expect(!refused.summary.contains(wrong))
        let noAuth = try await Self.observe("{ address: '\(redis.address)' }")
        #expect(!noAuth.ok, "a server with a password must not answer without it: \(noAuth.summary)")
    }

    @Test func aServerThatIsDownIsNotConnected() async throws {
        let port = try LoopbackPort.free()
        let seen = try await Self.observe("{ address: '127.0.0.1:\(port)' }")
        #expect(!seen.ok)
        #expect(seen.value["connected"] == false)
    }

    @Test func replicaLinkAndLagInBytes() async throws {
        let primary = try await RedisFixture.start(password: "pair-secret")
        defer { primary.stop() }
        let replica = try await RedisFixture.start(password: "pair-secret", replicaOf: primary)
        defer { replica.stop() }
        let onReplica = "{ address: '\(replica.address)', password: pair-secret, primary: '\(primary.address)' }"
        var linked: Observation?
        for _ in 0..<200 {
            let seen = try await Self.observe(onReplica)
            if seen.value["master-link-status"] == "up" {
                linked = seen
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        let replicaSeen = try #require(linked, "the replica never linked up")
        #expect(replicaSeen.value["role"] == "slave")
        #expect(replicaSeen.value["lag-bytes"]?.doubleValue != nil, "\(replicaSeen.value)")
        var primarySeen = try await Self.observe("{ address: '\(primary.address)', password: pair-secret }")
        for _ in 0..<100 where primarySeen.value["connected-slaves"] != 1 {
            try await Task.sleep(for: .milliseconds(100))
            primarySeen = try await Self.observe("{ address: '\(primary.address)', password: pair-secret }")
        }
        #expect(primarySeen.value["connected-slaves"] == 1)

        // A stopped replica acknowledges nothing: 100 kB written on the primary is lag.
        kill(replica.pid, SIGSTOP)
        defer { kill(replica.pid, SIGCONT) }
        try await Task.sleep(for: .milliseconds(300))
        #expect(primary.send("SET big \(String(repeating: "x", count: 100_000))")?.contains("+OK") == true)
        let lagging = try await Self.observe("{ address: '\(primary.address)', password: pair-secret }")
        let lag = try #require(lagging.value["lag-bytes"]?.doubleValue, "\(lagging.value)")
        #expect(lag >= 100_000, "lag \(lag) bytes after a 100 kB write to a stopped replica")
        kill(replica.pid, SIGCONT)
        var caughtUp = false
        for _ in 0..<100 where !caughtUp {
            try await Task.sleep(for: .milliseconds(100))
            let again = try await Self.observe(onReplica)
            caughtUp = (again.value["lag-bytes"]?.doubleValue ?? .infinity) < 100_000
        }
        #expect(caughtUp, "the replica must catch up once resumed")
    }

    @Test func pauseClientsHoldsWritesThenUnpauses() async throws {
        let redis = try await RedisFixture.start()
        defer { redis.stop() }
        let context = CloudTestContext(onWillApply: { _ in })
        let run = Task {
            try await RedisPauseClientsDriver().run(try params("{ address: '\(redis.address)', for: 1500ms }"), context: context.context)
        }
        for _ in 0..<100 where await context.intents.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        var reply: String?
        let held = Self.seconds { reply = redis.send("SET k v", timeoutMs: 10_000) }
        #expect(reply?.contains("+OK") == true)
        #expect(held >= 0.7, "a write during the pause returned after \(held)s")
        let outcome = try await run.value
        #expect(outcome.summary.contains("unpaused after 1.5s"), "\(outcome.summary)")
        #expect(await context.intents.first?.action.key == "redis.unpause")
        let after = Self.seconds { _ = redis.send("SET k w") }
        #expect(after < 5, "a write after the pause took \(after)s")
    }

    @Test func theUndoUnpausesAServerAKilledRunnerLeftPaused() async throws {
        let redis = try await RedisFixture.start()
        defer { redis.stop() }
        #expect(redis.send("CLIENT PAUSE 60000 WRITE")?.contains("+OK") == true)
        let until = Date().timeIntervalSince1970 + 60
        let how = try await RedisUnpauseUndo().undo(["address": .string(redis.address), "until": .number(until)],
                                                    context: DriverContext(name: "undo", timeout: .seconds(30)))
        #expect(how == "CLIENT UNPAUSE on \(redis.address)")
        let after = Self.seconds { _ = redis.send("SET k v") }
        #expect(after < 10, "a write after the undo took \(after)s: the 60 s pause was not lifted")
        let late = try await RedisUnpauseUndo().undo(["address": .string(redis.address), "until": .number(until - 120)],
                                                     context: DriverContext(name: "undo", timeout: .seconds(30)))
        #expect(late.hasPrefix("nothing left"), "\(late)")

        // An `all` pause runs no command, CLIENT UNPAUSE included: the undo returns once it ended, and says so.
        #expect(redis.send("CLIENT PAUSE 1500 ALL")?.contains("+OK") == true)
        let allHow = try await RedisUnpauseUndo().undo(["address": .string(redis.address), "until": .number(Date().timeIntervalSince1970 + 1.5)],
                                                       context: DriverContext(name: "undo", timeout: .seconds(30)))
        #expect(allHow.contains("ran once the pause ended by itself"), "\(allHow)")
    }

    @Test func theDriversReadExactlyTheirDeclaredParameters() async throws {
        let redis = try await RedisFixture.start(password: "reads")
        defer { redis.stop() }
        let reads = ParamReadLog()
        try await ParamReadLog.$current.withValue(reads) {
            _ = try await Self.observe("{ address: '\(redis.address)', username: default, password: reads, primary: '\(redis.address)' }")
            _ = try await RedisPauseClientsDriver().run(
                try params("{ address: '\(redis.address)', username: default, password: reads, for: 10ms, mode: write }"), context: CloudTestContext().context)
        }
        for spec in [RedisProbeDriver.spec, RedisPauseClientsDriver.spec] {
            let declared = Set(spec.params.map(\.name))
            let read = reads.read(by: spec.key)
            #expect(read == declared, "\(spec.key) reads \(read.sorted()), declares \(declared.sorted())")
        }
    }
}
