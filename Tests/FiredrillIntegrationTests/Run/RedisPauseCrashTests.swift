import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// The runner is SIGKILLed while `redis.pause-clients` holds a real redis-server's writes: the pause stays, and
/// `firedrill recover` lifts it with the journaled `CLIENT UNPAUSE` long before its own end.
@Suite(.serialized) struct RedisPauseCrashTests {
    static func writeSeconds(_ redis: RedisFixture) -> Double {
        let start = ContinuousClock.now
        _ = redis.send("SET probe 1", timeoutMs: 2000)
        return start.duration(to: .now).seconds
    }

    @Test func recoverUnpausesWhatAKilledRunnerPaused() async throws {
        let binary = try FiredrillBinary.path()
        let redis = try await RedisFixture.start()
        defer { redis.stop() }
        let dir = try TempDirectory.make(prefix: "redis-crash")
        let plan = dir + "/pause.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: redis-crash
        title: pause a cache's writes for 2 minutes
        environment: test
        method:
          - name: pause-writes
            redis.pause-clients: { address: "\(redis.address)", for: 2m, mode: write }
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        defer { runner.signal(SIGKILL) }
        var paused = false
        for _ in 0..<100 where !paused {
            try await Task.sleep(for: .milliseconds(100))
            paused = Self.writeSeconds(redis) >= 1.5
        }
        #expect(paused, "writes were never paused: \(runner.readOutput())")
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(5))
        #expect(Self.writeSeconds(redis) >= 1.5, "the pause must outlive the runner")

        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(60)) == 0, "recover: \(recover.readOutput())")
        #expect(Self.writeSeconds(redis) < 10, "writes must go through once recover unpaused (not after the 2 minute pause)")
        let after = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(after.verification.isValid, "\(after.verification)")
        let done = try #require(after.events.first { $0.type == "undo.done" })
        #expect(done.data["how"] == .string("CLIENT UNPAUSE on \(redis.address)"), "\(done.data)")
    }

    /// How long a write takes over TLS, with the fixture's client certificate (bounded by 2 s).
    static func tlsWriteSeconds(_ target: RedisTarget) async -> Double {
        let start = ContinuousClock.now
        _ = try? await RedisThread.run { () throws(RedisError) in
            _ = try RedisConnection(target, timeoutMs: 2000).command(["SET", "probe", "1"])
        }
        return start.duration(to: .now).seconds
    }

    /// The same over TLS with a required client certificate: the journaled undo carries the CA and certificate
    /// paths, so `recover` reconnects over TLS and lifts the pause.
    @Test func recoverUnpausesOverTLSWhatAKilledRunnerPaused() async throws {
        let binary = try FiredrillBinary.path()
        let redis = try await RedisFixture.start(tls: true, clientCertificates: true)
        defer { redis.stop() }
        let tls = try #require(redis.tlsFiles)
        let target = RedisTarget(host: "127.0.0.1", port: redis.port,
                                 tls: TLSConfig(caFile: tls.ca, certFile: tls.clientCert, keyFile: tls.clientKey))
        let dir = try TempDirectory.make(prefix: "redis-tls-crash")
        let plan = dir + "/pause.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: redis-tls-crash
        title: pause a TLS cache's writes for 2 minutes
        environment: test
        method:
          - name: pause-writes
            redis.pause-clients:
              address: "\(redis.address)"
              for: 2m
              mode: write
              tls: { ca: "\(tls.ca)", cert: "\(tls.clientCert)", key: "\(tls.clientKey)" }
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        defer { runner.signal(SIGKILL) }
        var paused = false
        for _ in 0..<100 where !paused {
            try await Task.sleep(for: .milliseconds(100))
            paused = await Self.tlsWriteSeconds(target) >= 1.5
        }
        #expect(paused, "writes were never paused: \(runner.readOutput())")
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(5))
        #expect(await Self.tlsWriteSeconds(target) >= 1.5, "the pause must outlive the runner")

        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(60)) == 0, "recover: \(recover.readOutput())")
        #expect(await Self.tlsWriteSeconds(target) < 1, "writes must go through once recover unpaused")
        let after = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(after.verification.isValid, "\(after.verification)")
        let done = try #require(after.events.first { $0.type == "undo.done" })
        #expect(done.data["how"] == .string("CLIENT UNPAUSE on \(redis.address) (TLS)"), "\(done.data)")
    }
}
