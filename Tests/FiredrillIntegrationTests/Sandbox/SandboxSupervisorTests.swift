import FiredrillDrivers
import FiredrillSandbox
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `firedrill sandbox` binary as a real process tree and drives it with signals.
@Suite("Sandbox supervisor", .serialized)
struct SandboxSupervisorTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appendingPathComponent(".build/debug/firedrill").path

    @Test func restartsWorkersObeysSignalsAndStopsCleanly() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.binary),
            "firedrill binary not found at \(Self.binary): run `swift build` first")
        let state = NSTemporaryDirectory() + "firedrill-sandbox-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: state) }
        let port = TestHTTPConnection.freePort()
        let logPath = SandboxConfig.logPath(in: state)

        let supervisor = try await ProcessLauncher().launch(ProcessLaunchSpec(
            arguments: [Self.binary, "sandbox", "--port", "\(port)", "--workers", "2",
                        "--restart-delay", "500ms", "--state-dir", state],
            outputPath: state + "/output.txt"))
        // The supervisor leads its own session; its workers share its process group.
        defer { kill(-supervisor.pid, SIGKILL) }
        let output = { (try? String(contentsOfFile: state + "/output.txt", encoding: .utf8)) ?? "" }

        // Both workers listen and answer.
        try await waitForEvents(logPath, "two workers listening; output: \(output())") { events in
            events.filter { $0.name == "worker-listening" }.count >= 2
        }
        #expect(PIDFile.read(state + "/supervisor.pid") == supervisor.pid)
        #expect(try TestHTTPConnection.get(port: port, "/health").status == 200)

        // A killed worker comes back after the restart delay.
        let victim = try #require(PIDFile.read(state + "/worker-0.pid"))
        kill(victim, SIGKILL)
        let afterRestart = try await waitForEvents(logPath, "worker 0 restarted") { events in
            events.contains { $0.name == "worker-listening" && $0["index"] == "0" && $0["pid"] != "\(victim)" }
        }
        let exited = try #require(afterRestart.first { $0.name == "worker-exited" && $0["pid"] == "\(victim)" })
        #expect(exited["status"] == "signal:9")
        let replacement = try #require(afterRestart.last { $0.name == "worker-started" && $0["index"] == "0" })
        #expect(replacement.time - exited.time >= 0.45, "restarted \(replacement.time - exited.time)s after the exit")
        #expect(try TestHTTPConnection.get(port: port, "/health").status == 200)

        // SIGUSR1: no restarts; with every worker killed the port refuses connections.
        kill(supervisor.pid, SIGUSR1)
        try await waitForEvents(logPath, "restarts disabled") { $0.contains { $0.name == "restarts-disabled" } }
        let running = [PIDFile.read(state + "/worker-0.pid"), PIDFile.read(state + "/worker-1.pid")].compactMap { $0 }
        #expect(running.count == 2)
        for pid in running { kill(pid, SIGKILL) }
        try await waitForEvents(logPath, "both workers exited") { events in
            running.allSatisfy { pid in events.contains { $0.name == "worker-exited" && $0["pid"] == "\(pid)" } }
        }
        #expect(await refusesConnections(port: port))
        try await Task.sleep(for: .seconds(1))
        #expect(await refusesConnections(port: port))
        let disabledAt = try #require(SandboxEventLog.read(path: logPath).last { $0.name == "restarts-disabled" }?.time)
        #expect(!SandboxEventLog.read(path: logPath).contains { $0.name == "worker-started" && $0.time > disabledAt })

        // SIGUSR2: missing workers come back.
        kill(supervisor.pid, SIGUSR2)
        try await waitForEvents(logPath, "workers back after SIGUSR2") { events in
            guard let enabled = events.last(where: { $0.name == "restarts-enabled" }) else { return false }
            return events.filter { $0.name == "worker-listening" && $0.time > enabled.time }.count >= 2
        }
        #expect(try TestHTTPConnection.get(port: port, "/health").status == 200)

        // SIGTERM: every worker stops and the supervisor exits 0.
        let finalWorkers = [PIDFile.read(state + "/worker-0.pid"), PIDFile.read(state + "/worker-1.pid")].compactMap { $0 }
        #expect(finalWorkers.count == 2)
        kill(supervisor.pid, SIGTERM)
        let ending = try await supervisor.waitForExit(timeout: .seconds(10))
        #expect(ending == .exited(0), "supervisor output: \(output())")
        let controller = ProcessController()
        for pid in finalWorkers { #expect(try await controller.waitForExit(pid, timeout: .seconds(3))) }
        #expect(await refusesConnections(port: port))
        let names = SandboxEventLog.read(path: logPath).map(\.name)
        #expect(names.suffix(4) == ["stopping", "worker-exited", "worker-exited", "stopped"])
        #expect(!FileManager.default.fileExists(atPath: state + "/supervisor.pid"))
        #expect(!FileManager.default.fileExists(atPath: state + "/worker-0.pid"))
    }

    /// Polls the log (bounded) until `condition` holds; fails with `what` otherwise.
    @discardableResult
    private func waitForEvents(
        _ path: String, _ what: @autoclosure () -> String, timeout: Duration = .seconds(10),
        _ condition: ([SandboxEvent]) -> Bool
    ) async throws -> [SandboxEvent] {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let events = SandboxEventLog.read(path: path)
            if condition(events) { return events }
            try await Task.sleep(for: .milliseconds(20))
        }
        let events = SandboxEventLog.read(path: path)
        try #require(condition(events), "timed out waiting for: \(what())\nlog:\n\(events.map(\.name))")
        return events
    }

    /// True once a connection attempt is refused (bounded retries while sockets close).
    private func refusesConnections(port: UInt16) async -> Bool {
        for _ in 0..<100 {
            do {
                _ = try TestHTTPConnection(port: port, timeout: .seconds(1))
            } catch .refused {
                return true
            } catch {}
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }
}
