import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillStore

/// Two plans on one machine acting on the same target, with the default SQLite store and with none: while one
/// runs, the other is refused before it injects anything, naming the target, the plan and who runs it.
/// `--concurrent` lets it through, and once the first run has ended the second runs.
@Suite(.serialized) struct LocalTargetLockTests {
    static func plan(name: String, marker: String, pauseFor: String) -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: \(name)
        title: pause the shared worker
        environment: test
        method:
          - name: pause-worker
            process.pause: { match: "^sleep 4711\\\\.5$", for: \(pauseFor) }
          - name: touch
            command: [touch, "\(marker)"]

        """
    }

    @Test(arguments: [[], ["--no-store"]])
    func aSecondPlanActingOnTheSameTargetIsRefusedUntilTheFirstEnds(_ storeArguments: [String]) async throws {
        let dir = try TempDirectory.make(prefix: "local-targets")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let worker = try ChildProcess(["sleep", "4711.5"])
        defer { worker.signal(SIGKILL) }
        try Self.plan(name: "pause-a", marker: dir + "/a", pauseFor: "2m").write(toFile: dir + "/a.yaml", atomically: true, encoding: .utf8)
        try Self.plan(name: "pause-b", marker: dir + "/b", pauseFor: "100ms").write(toFile: dir + "/b.yaml", atomically: true, encoding: .utf8)
        let loaded = try #require(PlanLoader.load(path: dir + "/b.yaml", catalog: TestCatalog.builtin).plan)
        let target = try #require(PlanTargets.targets(of: loaded).first)

        let first = try ChildProcess([try FiredrillBinary.path(), "run", "a.yaml", "--quiet"] + storeArguments, workingDirectory: dir)
        defer { first.signal(SIGKILL) }
        // Wait (bounded) until the first run holds the worker paused.
        var paused = false
        for _ in 0..<600 where !paused {
            paused = ProcessSnapshot.read(pid: worker.pid)?.state == "T"
            if !paused { try await Task.sleep(for: .milliseconds(100)) }
        }
        try #require(paused, "the first run never paused the worker: \(first.readOutput())")

        let refused = try await ProgramCLI.run(["run", "b.yaml"] + storeArguments, in: dir)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.output.contains("\(target.text) is being acted on by a run of pause-a (pid "), "\(refused.output)")
        #expect(refused.output.contains("refusing to start pause-b: nothing was injected (pass --concurrent to allow it)"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/b"))

        let together = try await ProgramCLI.run(["run", "b.yaml", "--concurrent", "--quiet"] + storeArguments, in: dir)
        #expect(together.status == 0, "\(together.output)")
        #expect(FileManager.default.fileExists(atPath: dir + "/b"))

        // The first run is interrupted (its rollback resumes the worker); then the target is free again.
        first.signal(SIGTERM)
        #expect(await first.wait(timeout: .seconds(60)) == 130, "\(first.readOutput())")
        try FileManager.default.removeItem(atPath: dir + "/b")
        let after = try await ProgramCLI.run(["run", "b.yaml", "--quiet"] + storeArguments, in: dir)
        #expect(after.status == 0, "\(after.output)")
        #expect(FileManager.default.fileExists(atPath: dir + "/b"))
    }
}
