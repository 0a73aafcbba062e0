import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// The `redis` probe and `redis.pause-clients` over TLS, against a real redis-server serving TLS only with a
/// throwaway CA made at fixture start.
@Suite("redis drivers over TLS against a real redis-server", .serialized)
struct RedisTLSDriverTests {
    static func observe(_ yaml: String, timeout: Duration = .seconds(10), secrets: [String] = []) async throws -> Observation {
        try await RedisProbeDriver().observe(try params(yaml), context: DriverContext(name: "redis", timeout: timeout, secrets: secrets))
    }

    static func files(_ redis: RedisFixture) throws -> RedisTLSFiles { try #require(redis.tlsFiles) }

    @Test func pingAndRoleOverTLSVerifiedAgainstTheFixtureCA() async throws {
        let redis = try await RedisFixture.start(tls: true)
        defer { redis.stop() }
        let tls = try Self.files(redis)
        let seen = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(tls.ca)' } }")
        #expect(seen.ok, "\(seen.summary)")
        #expect(seen.value["connected"] == true)
        #expect(seen.value["ping"] == true)
        #expect(seen.value["role"] == "master")
        let agreed = try #require(seen.value["tls"]?.stringValue, "\(seen.value)")
        #expect(agreed.hasPrefix("TLSv1."), "\(agreed)")
        #expect(!agreed.contains("NOT verified"))
        #expect(seen.summary.hasPrefix("\(redis.address) (TLS): PONG"), "\(seen.summary)")

        // The certificate also names `localhost`: checking that name instead of the address passes too.
        let byName = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(tls.ca)', server-name: localhost } }")
        #expect(byName.ok, "\(byName.summary)")
    }

    @Test func aCAThatDidNotSignTheServerFailsWithTheVerifyReason() async throws {
        let redis = try await RedisFixture.start(tls: true)
        defer { redis.stop() }
        let tls = try Self.files(redis)
        let seen = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(tls.otherCA)' } }")
        #expect(!seen.ok)
        #expect(seen.value["connected"] == false)
        // The reason OpenSSL gives depends on the chain the server sends; it is always there, in parentheses.
        #expect(seen.summary.contains("TLS handshake with \(redis.address) failed: certificate verify failed ("), "\(seen.summary)")

        // A CA file that is gone at run time (a path from the environment, say) is named, before any connection.
        let gone = "/nonexistent/firedrill-ca-\(UUID().uuidString).pem"
        let error = await #expect(throws: DriverError.self) {
            _ = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(gone)' } }")
        }
        #expect(error?.description.contains("`tls.ca`: no such file `\(gone)`") == true, "\(String(describing: error))")

        // `tls: true` trusts the system store, which does not hold the throwaway CA either.
        let system = try await Self.observe("{ address: '\(redis.address)', tls: true }")
        #expect(!system.ok)
        #expect(system.summary.contains("TLS handshake with \(redis.address) failed: certificate verify failed"), "\(system.summary)")
    }

    @Test func aServerNameTheCertificateDoesNotCarryFails() async throws {
        let redis = try await RedisFixture.start(tls: true)
        defer { redis.stop() }
        let tls = try Self.files(redis)
        let seen = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(tls.ca)', server-name: cache.example.com } }")
        #expect(!seen.ok)
        #expect(seen.value["connected"] == false)
        #expect(seen.summary.contains("certificate verify failed (hostname mismatch)"), "\(seen.summary)")
    }

    @Test func insecureSkipVerifyConnectsAndSaysSoEverywhere() async throws {
        let redis = try await RedisFixture.start(tls: true)
        defer { redis.stop() }
        let seen = try await Self.observe("{ address: '\(redis.address)', tls: { insecure-skip-verify: true } }")
        #expect(seen.ok, "\(seen.summary)")
        #expect(seen.summary.contains("(TLS, certificate NOT verified)"), "\(seen.summary)")
        #expect(seen.value["tls"]?.stringValue?.hasSuffix(", certificate NOT verified") == true, "\(seen.value)")

        // The fault's journaled undo and its summary say it too.
        let context = CloudTestContext()
        let outcome = try await RedisPauseClientsDriver().run(
            try params("{ address: '\(redis.address)', tls: { insecure-skip-verify: true }, for: 10ms, mode: write }"), context: context.context)
        #expect(outcome.summary.contains("\(redis.address) (TLS, certificate NOT verified)"), "\(outcome.summary)")
        let intent = try #require(await context.intents.first)
        #expect(intent.action.description == "CLIENT UNPAUSE on \(redis.address) (TLS, certificate NOT verified)")
        #expect(intent.action.params["tls"]?["insecure-skip-verify"] == true)
    }

    @Test func aServerThatRequiresClientCertificates() async throws {
        let redis = try await RedisFixture.start(tls: true, clientCertificates: true)
        defer { redis.stop() }
        let tls = try Self.files(redis)
        let with = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(tls.ca)', cert: '\(tls.clientCert)', key: '\(tls.clientKey)' } }")
        #expect(with.ok, "\(with.summary)")
        #expect(with.value["role"] == "master")

        let without = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(tls.ca)' } }")
        #expect(!without.ok)
        // TLS 1.3 rejects the client just after the handshake: the alert, or the reset that follows it, comes with
        // the reason.
        #expect(without.summary.contains("client certificate"), "\(without.summary)")
        #expect(without.summary.contains("give `tls: { cert, key }`"), "\(without.summary)")

        // A certificate that is not the key's pair is refused before anything is sent.
        let mismatched = try await Self.observe("{ address: '\(redis.address)', tls: { ca: '\(tls.ca)', cert: '\(tls.clientCert)', key: '\(tls.serverKey)' } }")
        #expect(!mismatched.ok)
        #expect(mismatched.summary.contains("does not match the certificate"), "\(mismatched.summary)")
    }

    @Test func plainTextAgainstATLSPortAndTLSAgainstAPlainPortFailClearlyWithinTheTimeout() async throws {
        let redis = try await RedisFixture.start(tls: true)
        defer { redis.stop() }
        let start = ContinuousClock.now
        let plain = try await Self.observe("{ address: '\(redis.address)' }", timeout: .seconds(5))
        #expect(!plain.ok)
        #expect(plain.summary.contains("closed the connection without answering (if the server only speaks TLS on this port, set `tls`)"), "\(plain.summary)")
        #expect(start.duration(to: .now) < .seconds(30), "bounded by the probe's timeout, not a hang")

        let cleartext = try await RedisFixture.start()
        defer { cleartext.stop() }
        let tlsStart = ContinuousClock.now
        let overTLS = try await Self.observe("{ address: '\(cleartext.address)', tls: { insecure-skip-verify: true } }", timeout: .seconds(3))
        #expect(!overTLS.ok)
        #expect(overTLS.value["connected"] == false)
        // Redis reads the ClientHello as an inline command: it waits for a newline (the handshake times out, a little
        // before the probe does) or, when the random bytes hold one, answers an error the handshake fails on.
        #expect(overTLS.summary.contains("TLS handshake with \(cleartext.address) timed out after 2700 ms (is the server speaking TLS on this port?)")
                || overTLS.summary.contains("TLS handshake with \(cleartext.address) failed: "), "\(overTLS.summary)")
        #expect(tlsStart.duration(to: .now) < .seconds(30), "bounded by the probe's timeout, not a hang")
    }

    @Test func pauseClientsOverTLSHoldsWritesAndTheJournaledUndoUnpausesOverTLS() async throws {
        let password = "tls-pw-\(UUID().uuidString.prefix(8))"
        let redis = try await RedisFixture.start(password: password, tls: true, clientCertificates: true)
        defer { redis.stop() }
        let tls = try Self.files(redis)
        let tlsYAML = "tls: { ca: '\(tls.ca)', cert: '\(tls.clientCert)', key: '\(tls.clientKey)' }"
        let config = TLSConfig(caFile: tls.ca, certFile: tls.clientCert, keyFile: tls.clientKey)
        let other = RedisTarget(host: "127.0.0.1", port: redis.port, password: password, tls: config)

        let context = CloudTestContext(secrets: [password], onWillApply: { _ in })
        let run = Task {
            try await RedisPauseClientsDriver().run(
                try params("{ address: '\(redis.address)', password: '\(password)', \(tlsYAML), for: 1500ms, mode: write }"), context: context.context)
        }
        for _ in 0..<200 where await context.intents.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        try await Task.sleep(for: .milliseconds(200))
        let held = try await RedisThread.run { () throws(RedisError) -> Double in
            let connection = try RedisConnection(other, timeoutMs: 10_000)
            let start = ProxySocket.now()
            _ = try connection.expect(["SET", "k", "v"])
            return Double(ProxySocket.now() - start) / 1e9
        }
        #expect(held >= 0.7, "a write during the pause returned after \(held)s")
        let outcome = try await run.value
        #expect(outcome.summary.contains("\(redis.address) (TLS)"), "\(outcome.summary)")
        #expect(outcome.summary.contains("unpaused after 1.5s"), "\(outcome.summary)")

        // The undo record carries the TLS settings (paths), never the password.
        let intent = try #require(await context.intents.first)
        #expect(intent.action.key == "redis.unpause")
        #expect(intent.action.params["tls"]?["ca"]?.stringValue == tls.ca)
        #expect(intent.action.params["tls"]?["cert"]?.stringValue == tls.clientCert)
        #expect(!"\(intent.action.params)".contains(password))
        #expect(intent.action.description.contains("(TLS)"), "\(intent.action.description)")

        // What `recover` does after a SIGKILL: a pause still in force, the journaled record, a fresh connection.
        // The server wants a password the record does not hold, so a pause on it could not be lifted; this one
        // runs without one to show the TLS reconnection itself.
        let open = try await RedisFixture.start(tls: true, clientCertificates: true)
        defer { open.stop() }
        let openFiles = try Self.files(open)
        let openTarget = RedisTarget(host: "127.0.0.1", port: open.port,
                                     tls: TLSConfig(caFile: openFiles.ca, certFile: openFiles.clientCert, keyFile: openFiles.clientKey))
        _ = try await RedisThread.run { () throws(RedisError) in
            try RedisConnection(openTarget, timeoutMs: 10_000).expect(["CLIENT", "PAUSE", "60000", "WRITE"])
        }
        var record = intent.action.params
        if case .object(var fields) = record {
            fields["address"] = .string(open.address)
            fields["tls"] = RedisParams.journaled(openTarget.tls)
            fields["until"] = .number(Date().timeIntervalSince1970 + 60)
            record = .object(fields)
        }
        let how = try await RedisUnpauseUndo().undo(record, context: DriverContext(name: "undo", timeout: .seconds(30)))
        #expect(how == "CLIENT UNPAUSE on \(open.address) (TLS)")
        let after = try await RedisThread.run { () throws(RedisError) -> Double in
            let connection = try RedisConnection(openTarget, timeoutMs: 10_000)
            let start = ProxySocket.now()
            _ = try connection.expect(["SET", "k", "w"])
            return Double(ProxySocket.now() - start) / 1e9
        }
        #expect(after < 5, "a write after the undo took \(after)s; the pause was 60s")
    }

    /// Through the probe runner, as `check`, the journal and the report see it: a failed `expect` keeps the reason.
    @Test func aFailingExpectKeepsTheHandshakeReason() async throws {
        let redis = try await RedisFixture.start(tls: true)
        defer { redis.stop() }
        let tls = try Self.files(redis)
        let node = try params("{ address: '\(redis.address)', tls: { ca: '\(tls.otherCA)' } }")
        let expectNode = try params("{ ping: true }")
        let spec = ProbeSpec(name: "cache", call: DriverCall(key: "redis", params: node, location: node.location, spec: TestCatalog.builtin.spec("redis")),
                             expect: Tolerance.parse(expectNode).0, expectNode: expectNode, timeout: nil, location: node.location)
        let runner = ProbeRunner(drivers: TestDrivers(probes: ["redis": RedisProbeDriver()]), resolver: Resolver(environment: [:])) { name, timeout in
            DriverContext(name: name, role: "steady-state", timeout: timeout)
        }
        let result = await runner.once(spec)
        #expect(!result.passed)
        #expect(result.message.hasPrefix("ping false, expected true — TLS handshake with \(redis.address) failed: certificate verify failed ("),
                "\(result.message)")
    }

    @Test func theLoaderChecksTheTLSOptionsWithTheirPlace() throws {
        let missing = "/nonexistent/firedrill-ca-\(UUID().uuidString).pem"
        let existing = try TempDirectory.make(prefix: "firedrill-tls-load")
        defer { try? FileManager.default.removeItem(atPath: existing) }
        let cert = existing + "/client.pem"
        try "not checked at load".write(toFile: cert, atomically: true, encoding: .utf8)
        let plan = PlanLoader.load(data: Data("""
            apiVersion: firedrill/v1
            kind: Experiment
            name: redis-tls
            title: t
            environment: staging
            steady-state:
              - name: missing-ca
                redis: { address: '127.0.0.1:6380', tls: { ca: '\(missing)' } }
                expect: { ping: true }
              - name: key-without-cert
                redis: { address: '127.0.0.1:6380', tls: { key: '\(cert)' } }
                expect: { ping: true }
              - name: typo
                redis: { address: '127.0.0.1:6380', tls: { cafile: '\(cert)' } }
                expect: { ping: true }
              - name: not-a-boolean
                redis: { address: '127.0.0.1:6380', tls: maybe }
                expect: { ping: true }
            method:
              - redis.pause-clients: { address: '127.0.0.1:6380', for: 1s, tls: { insecure-skip-verify: true } }
            """.utf8), path: "p.yaml", catalog: TestCatalog.builtin)
        let errors = plan.errors.map { "\($0.location.line):\($0.location.column) \($0.message)" }
        #expect(errors.contains { $0.hasPrefix("11:") && $0.contains("`redis.tls` sets `key`, which needs `cert` too") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("14:") && $0.contains("cafile") }, "\(errors)")
        #expect(errors.contains { $0.hasPrefix("17:") && $0.contains("`maybe` is not a boolean") }, "\(errors)")
        #expect(errors.count == 3, "\(errors)")
        let warnings = plan.diagnostics.filter { $0.severity == .warning }.map { "\($0.location.line) \($0.message)" }
        // A missing file is a warning at load (it must exist where the plan runs, perhaps not where it is validated).
        #expect(warnings.contains { $0.hasPrefix("8 ") && $0.contains("`redis.tls.ca`: no such file `\(missing)` here") }, "\(warnings)")
        #expect(warnings.contains { $0.hasPrefix("20 ") && $0.contains("`redis.pause-clients.tls.insecure-skip-verify`: the server's certificate is NOT verified") },
                "\(warnings)")
    }
}
