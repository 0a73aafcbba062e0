import Foundation
import Testing

@testable import FiredrillSandbox

@Suite("Sandbox config and log")
struct SandboxConfigTests {
    @Test func defaults() {
        let config = SandboxConfig(stateDirectory: "/state", workerCommand: ["firedrill", "sandbox-worker"])
        #expect(config.port == 18080)
        #expect(config.workers == 3)
        #expect(config.restartDelay == .seconds(1))
        #expect(config.workerArguments(index: 2) ==
            ["firedrill", "sandbox-worker", "--port", "18080", "--index", "2", "--state-dir", "/state"])
        #expect(config.logPath == "/state/sandbox.log")
        #expect(config.workerPIDPath(index: 1) == "/state/worker-1.pid")
        #expect(throws: Never.self) { try config.validate() }
    }

    @Test func invalidValuesAreNamed() {
        var config = SandboxConfig(stateDirectory: "/state", workerCommand: ["w"], workers: 0)
        let error = #expect(throws: SandboxError.self) { try config.validate() }
        #expect(error?.description == "invalid workers \"0\": use 1-64")
        config.workers = 1
        config.workerCommand = []
        #expect(throws: SandboxError.self) { try config.validate() }
    }

    @Test func parsesDurations() {
        #expect(SandboxConfig.parseDuration("500ms") == .milliseconds(500))
        #expect(SandboxConfig.parseDuration("1s") == .seconds(1))
        #expect(SandboxConfig.parseDuration("1.5s") == .milliseconds(1500))
        #expect(SandboxConfig.parseDuration("2m") == .seconds(120))
        #expect(SandboxConfig.parseDuration("0s") == .zero)
        for bad in ["1", "", "s", "-1s", "1h", "1 s", "abc"] {
            #expect(SandboxConfig.parseDuration(bad) == nil, "\(bad)")
        }
    }

    @Test func logLinesRoundTripWithMicroseconds() throws {
        let directory = NSTemporaryDirectory() + "firedrill-sandbox-log-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let log = SandboxEventLog(path: SandboxConfig.logPath(in: directory))
        let before = Date().timeIntervalSince1970
        try log.append("worker-exited", [("index", "1"), ("pid", "42"), ("status", "signal:9")])
        try log.append("note", [("text", "two words")])
        let after = Date().timeIntervalSince1970

        let text = try String(contentsOfFile: log.path, encoding: .utf8)
        let pattern = #/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z worker-exited index=1 pid=42 status=signal:9$/#
        let firstLine = try #require(text.split(separator: "\n").first)
        #expect(firstLine.wholeMatch(of: pattern) != nil)

        let events = SandboxEventLog.read(path: log.path)
        try #require(events.map(\.name) == ["worker-exited", "note"])
        #expect(events[0]["status"] == "signal:9")
        #expect(events[1]["text"] == "two_words")
        #expect(events[0].time >= before - 0.001 && events[0].time <= after + 0.001)
        #expect(SandboxEvent(line: "2025-01-31T12:00:00.123456Z started")?.time == 1_738_324_800.123456)
        #expect(SandboxEvent(line: "garbage") == nil)
    }

    @Test func pidFilesAreWrittenWhole() throws {
        let path = NSTemporaryDirectory() + "firedrill-pid-\(UUID().uuidString).pid"
        defer { PIDFile.remove(path) }
        try PIDFile.write(1234, to: path)
        #expect(PIDFile.read(path) == 1234)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "1234\n")
        PIDFile.remove(path)
        #expect(PIDFile.read(path) == nil)
    }
}
