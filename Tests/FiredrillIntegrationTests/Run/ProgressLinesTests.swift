import FiredrillTestSupport
import Foundation
import Testing

/// A person can follow every wait: `firedrill run` with stdout not a TTY prints at least one line every 10 seconds
/// while a long `wait` holds or a `recovered` watch keeps failing. Real runs of the built binary, ~25 s each.
@Suite(.serialized) struct ProgressLinesTests {
    struct Run {
        var status: Int32
        var output: String
        /// Lines the ticker printed: `TIME … STATUS`.
        var progress: [String] { output.split(separator: "\n").map(String.init).filter { $0.contains("Z … ") } }
    }

    static func run(_ plan: String, name: String) async throws -> Run {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "progress-\(name)")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/\(name).yaml"
        try plan.write(toFile: path, atomically: true, encoding: .utf8)
        let child = try ChildProcess([binary, "run", path, "--report-dir", dir + "/run"])
        let status = try #require(await child.wait(timeout: .seconds(120)), "firedrill run did not finish within 120s")
        return Run(status: status, output: child.readOutput())
    }

    @Test func aLongWaitPrintsProgress() async throws {
        let plan = """
            apiVersion: firedrill/v1
            kind: Experiment
            name: long-wait
            title: A long wait that must not be silent
            environment: test
            steady-state:
              - name: alive
                command: [\"true\"]
            guards:
              - use: alive
                every: 1s
            method:
              - name: say-ready
                command: [printf, "ready\\n"]
              - name: check-ready
                command: [test, "${steps.say-ready.stdout}", "=", "ready"]
              - name: hold
                wait: 25s
            """
        let run = try await Self.run(plan, name: "wait")
        #expect(run.status == 0, "\(run.output)")
        // The step output was substituted without its trailing newline, or `test` would have failed.
        #expect(run.output.contains("step check-ready ok"), "\(run.output)")
        let progress = run.progress.filter { $0.contains("wait hold: ") }
        #expect(progress.count >= 2, "\(run.output)")
        #expect(progress.allSatisfy { $0.contains(" of 25s") && $0.contains("guard alive ok for ") }, "\(run.output)")
        // Never silent for long: consecutive lines at most ~10 s apart (with slack for a loaded machine).
        #expect(Self.longestGap(run.output) < 13, "\(run.output)")
    }

    @Test func aFailingRecoveredWatchPrintsProgress() async throws {
        let plan = """
            apiVersion: firedrill/v1
            kind: Drill
            name: never-recovers
            title: A recovered watch that keeps failing
            environment: test
            objectives: { rto: 1m }
            steady-state:
              - name: alive
                command: [\"true\"]
            disaster:
              - name: break
                command: [\"true\"]
            recovered:
              command: [test, -e, /nonexistent/firedrill-never-there]
              every: 500ms
              timeout: 25s
            """
        let run = try await Self.run(plan, name: "drill")
        #expect(run.status == 1, "\(run.output)")
        let progress = run.progress.filter { $0.contains("recovered: still failing for ") }
        #expect(progress.count >= 2, "\(run.output)")
        #expect(progress.allSatisfy { $0.contains(" of 25s (") && $0.hasSuffix("; last: exit 1") }, "\(run.output)")
        // The failing verdict itself is printed once, not at every check.
        #expect(run.output.components(separatedBy: "recovered recovered: FAILED").count - 1 == 1, "\(run.output)")
        #expect(Self.longestGap(run.output) < 13, "\(run.output)")
    }

    /// The longest time, in seconds, between two consecutive timestamped lines (`2026-11-29T09:17:02.202067Z …`).
    static func longestGap(_ output: String) -> Double {
        let times = output.split(separator: "\n").compactMap { line -> Double? in
            guard let stamp = line.split(separator: " ").first, stamp.hasSuffix("Z"), let t = stamp.firstIndex(of: "T") else { return nil }
            let parts = stamp[stamp.index(after: t)...].dropLast().split(separator: ":")
            guard parts.count == 3, let h = Double(parts[0]), let m = Double(parts[1]), let s = Double(parts[2]) else { return nil }
            return h * 3600 + m * 60 + s
        }
        // A run that crosses midnight UTC wraps once.
        return zip(times, times.dropFirst()).map { $1 >= $0 ? $1 - $0 : $1 + 86_400 - $0 }.max() ?? 0
    }
}
