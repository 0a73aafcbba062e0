import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `process.start` started a real daemon, then the runner is SIGKILLed: the daemon outlives it, and
/// `firedrill recover` stops it through the undo journaled before the spawn.
@Suite(.serialized) struct ProcessStartCrashTests {
    static func listening(_ port: UInt16) -> Bool {
        (try? TestHTTPConnection.get(port: port, "/")) != nil
    }

    @Test func recoverStopsADaemonLeftByAKilledRunner() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "start-crash")
        let port = TestHTTPConnection.freePort()
        let plan = dir + "/start.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: start-crash
        title: start a daemon, then hold
        environment: test
        method:
          - name: start-daemon
            process.start: { run: [python3, -m, http.server, --bind, 127.0.0.1, "\(port)"], cwd: "\(dir)", ready-port: "127.0.0.1:\(port)" }
          - name: hold
            wait: 60s
        """.write(toFile: plan, atomically: true, encoding: .utf8)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        var up = false
        for _ in 0..<300 where !up {
            up = Self.listening(port)
            if !up { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(up, "the daemon never answered on \(port)")
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(5))
        try await Task.sleep(for: .milliseconds(200))
        #expect(Self.listening(port), "the daemon must outlive the runner")

        // The daemon's output goes to `<step>.log` in the run directory by default.
        #expect(FileManager.default.fileExists(atPath: runDir + "/start-daemon.log"))
        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(contents.events.contains { $0.type == "undo.intent" })
        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(60)) == 0, "recover: \(recover.readOutput())")
        var down = false
        for _ in 0..<100 where !down {
            down = !Self.listening(port)
            if !down { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(down, "recover left the daemon running on \(port)")
        let after = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(after.events.contains { $0.type == "undo.done" })
    }
}
