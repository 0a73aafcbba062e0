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

    /// CPU seconds `pid` has used (user and system), from /proc/PID/stat.
    static func cpuSeconds(_ pid: Int32) -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// A runner allowed only 64 open files, and more clients than that lets it carry: the connections it cannot
    /// carry are closed and counted with the reason, the runner does not spin on the rest, and once the clients
    /// leave the proxy carries new connections again.
    @Test func outOfDescriptorsTheProxyCountsWhyAndRecovers() async throws {
        let binary = try FiredrillBinary.path()
        let echo = try EchoServer()
        defer { echo.stop() }
        let port = try LoopbackPort.free()
        let dir = try TempDirectory.make(prefix: "proxy-nofile")
        let plan = dir + "/proxy.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: proxy-nofile
        title: a plain proxy under more connections than descriptors
        environment: test
        method:
          - name: relay
            network.proxy: { name: db, listen: "127.0.0.1:\(port)", upstream: "127.0.0.1:\(echo.port)" }
          - name: hold
            wait: 60s
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runner = try ChildProcess(["prlimit", "--nofile=64:64", "--", binary, "run", plan, "--report-dir", dir + "/run", "--quiet", "--no-store"])
        defer { runner.signal(SIGKILL) }
        var first: LoopbackClient?
        for _ in 0..<300 where first == nil {
            first = LoopbackClient(port: port).flatMap { $0.roundTrip([1], timeoutMs: 5000) == nil ? nil : $0 }
            if first == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        try #require(first != nil, "the proxy never answered: \(runner.readOutput())")
        var clients: [LoopbackClient] = []
        for _ in 0..<60 { if let c = LoopbackClient(port: port) { clients.append(c) } }
        #expect(clients.count >= 20, "the kernel queues connections the proxy has not accepted: \(clients.count)")
        try await Task.sleep(for: .milliseconds(500))
        // `prlimit` execs the runner, so the child's pid is the runner's.
        let before = try #require(Self.cpuSeconds(runner.pid))
        try await Task.sleep(for: .seconds(3))
        let after = try #require(Self.cpuSeconds(runner.pid))
        #expect(after - before < 1.5, "the runner used \(after - before) s of CPU in 3 s while out of descriptors")

        clients.removeAll()
        first = nil
        var again: Double?
        for _ in 0..<200 where again == nil {
            again = LoopbackClient(port: port)?.roundTrip([7, 7], timeoutMs: 2000)
            if again == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(again != nil, "the proxy must carry connections again once the clients left: \(runner.readOutput())")
        runner.signal(SIGTERM)
        #expect(await runner.wait(timeout: .seconds(30)) == 130)
        let events = try JournalReader.read(at: URL(fileURLWithPath: dir + "/run/journal.jsonl")).events
        let last = try #require(events.last { $0.type == "proxy.counters" })
        #expect((last.data["upstream-failures"]?.intValue ?? 0) > 0, "\(last.data)")
        #expect(last.data["last-upstream-failure"]?.stringValue?.contains("Too many open files") == true, "\(last.data)")
    }
}
