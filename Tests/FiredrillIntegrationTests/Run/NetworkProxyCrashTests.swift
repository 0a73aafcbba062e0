import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `network.proxy` runs inside the runner: SIGKILL the runner mid-method and the proxy is gone with it (its port
/// free at once), and `firedrill recover` closes the owed undo with nothing to do.
@Suite(.serialized) struct NetworkProxyCrashTests {
    @Test func sigkilledRunnerTakesItsProxyAlongAndRecoverOwesNothing() async throws {
        let binary = try FiredrillBinary.path()
        let echo = try EchoServer()
        defer { echo.stop() }
        let port = try LoopbackPort.free()
        let dir = try TempDirectory.make(prefix: "proxy-crash")
        let plan = dir + "/proxy.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: proxy-crash
        title: a latency proxy, then a long wait
        environment: test
        method:
          - name: slow-path
            network.proxy: { name: db, listen: "127.0.0.1:\(port)", upstream: "127.0.0.1:\(echo.port)", latency: 50ms, report-every: 1s }
          - name: hold
            wait: 60s
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        defer { runner.signal(SIGKILL) }
        var through: Double?
        for _ in 0..<300 where through == nil {
            through = LoopbackClient(port: port)?.roundTrip([1, 2, 3, 4], timeoutMs: 5000)
            if through == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let seconds = try #require(through, "the proxy never answered: \(runner.readOutput())")
        #expect(seconds >= 0.09, "two 50ms delays on the round trip, got \(seconds)s")
        try await Task.sleep(for: .milliseconds(1500))

        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(5))
        #expect(LoopbackClient(port: port) == nil, "the proxy's port must be free once the runner is gone")

        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(contents.verification.isValid, "\(contents.verification)")
        let intent = try #require(contents.events.first { $0.type == "undo.intent" })
        #expect(intent.data["key"] == "network.proxy.stop")
        #expect(contents.events.contains { $0.type == "proxy.counters" && $0.data["connections"] == 1 })
        #expect(!contents.events.contains { $0.type == "run.ended" })

        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(30)) == 0, "recover: \(recover.readOutput())")
        let after = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        let done = try #require(after.events.first { $0.type == "undo.done" })
        #expect(done.data["how"]?.stringValue?.hasPrefix("nothing left: proxy db") == true, "\(done.data)")
        let verify = try ChildProcess([binary, "verify", runDir])
        #expect(await verify.wait(timeout: .seconds(10)) == 0)
    }
}
