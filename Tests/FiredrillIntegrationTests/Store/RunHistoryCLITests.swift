import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `firedrill run` records each run in the default SQLite store at start and at end, `history` shows it, an
/// unreachable store stops a run before anything is injected, `--no-store` opts out and `history import` backfills.
@Suite(.serialized) struct RunHistoryCLITests {
    @Test func aRunIsRecordedAtItsEndAndHistoryShowsItLikeKubectlGet() async throws {
        let dir = try TempDirectory.make(prefix: "history")
        try ProgramCLI.plan(name: "touch-marker", marker: dir + "/marker").write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: dir + "/reports/.firedrill-history.sqlite"))

        let runs = try await ProgramCLI.history([], in: dir)
        try #require(runs.count == 1)
        let record = runs[0]
        #expect(record["plan"] as? String == "touch-marker")
        #expect(record["ending"] as? String == "passed")
        #expect(record["environment"] as? String == "test")
        #expect((record["planSHA256"] as? String)?.count == 64)
        #expect((record["journalHead"] as? String)?.count == 64)
        #expect(record["owedUndos"] as? Int == 0)
        let runDirectory = try #require(record["runDirectory"] as? String)
        #expect(FileManager.default.fileExists(atPath: runDirectory + "/journal.jsonl"))
        #expect((record["runBy"] as? String)?.contains("@") == true)

        let table = try await ProgramCLI.run(["history"], in: dir)
        #expect(table.status == 0)
        let lines = table.output.split(separator: "\n")
        #expect(lines.first?.hasPrefix("PLAN") == true && lines.first?.contains("ENDING") == true && lines.first?.contains("RUN BY") == true)
        #expect(lines.count == 2 && lines[1].contains("touch-marker") && lines[1].contains("passed"))

        let none = try await ProgramCLI.run(["history", "other-plan"], in: dir)
        #expect(none.output.contains("No runs recorded") && none.output.contains("for other-plan"))
    }

    @Test func anUnreachableStoreStopsTheRunBeforeAnythingIsInjected() async throws {
        let dir = try TempDirectory.make(prefix: "history-unreachable")
        let marker = dir + "/marker"
        try ProgramCLI.plan(name: "touch-marker", marker: marker).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let closed = try LoopbackPort.free()
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--store", "postgresql://firedrill:secret-pw@127.0.0.1:\(closed)/history?connect_timeout=3"], in: dir)
        #expect(run.status == 3, "\(run.output)")
        #expect(run.output.contains("cannot reach the store"))
        #expect(run.output.contains("nothing was injected"))
        #expect(run.output.contains("--no-store"))
        #expect(!run.output.contains("secret-pw"))
        #expect(!FileManager.default.fileExists(atPath: marker))

        // A SQLite store that cannot be created is refused the same way.
        try "not a folder".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        let bad = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir, environment: ProcessInfo.processInfo.environment.merging(["FIREDRILL_STORE": dir + "/file/history.sqlite"]) { $1 })
        #expect(bad.status == 3, "\(bad.output)")
        #expect(bad.output.contains("file/history.sqlite") && bad.output.contains("nothing was injected"))
        #expect(!FileManager.default.fileExists(atPath: marker))
    }

    @Test func noStoreRunsWithoutOneAndHistoryImportBackfillsItOnce() async throws {
        let dir = try TempDirectory.make(prefix: "history-import")
        try ProgramCLI.plan(name: "touch-marker", marker: dir + "/marker").write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        for _ in 0..<2 {
            let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet", "--no-store"], in: dir)
            #expect(run.status == 0, "\(run.output)")
        }
        #expect(!FileManager.default.fileExists(atPath: dir + "/reports/.firedrill-history.sqlite"))
        for _ in 0..<2 {
            let imported = try await ProgramCLI.run(["history", "import", "reports"], in: dir)
            #expect(imported.status == 0, "\(imported.output)")
            #expect(imported.output.contains("imported 2 runs"))
        }
        let runs = try await ProgramCLI.history(["touch-marker"], in: dir)
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0["ending"] as? String == "passed" })

        let missing = try await ProgramCLI.run(["history", "import", "no-such-dir"], in: dir)
        #expect(missing.status == 3 && missing.output.contains("no-such-dir: no such directory"))
        let badSince = try await ProgramCLI.run(["history", "--since", "last tuesday"], in: dir)
        #expect(badSince.status == 4 && badSince.output.contains("--since last tuesday: not a time"))
        let since = try await ProgramCLI.history(["--since", "1d"], in: dir)
        #expect(since.count == 2)
        let future = try await ProgramCLI.history(["--since", "2099-01-01"], in: dir)
        #expect(future.isEmpty)
    }

    @Test func recoverFindsTheRunDirectoryInTheStore() async throws {
        let dir = try TempDirectory.make(prefix: "history-recover")
        try ProgramCLI.plan(name: "touch-marker", marker: dir + "/marker").write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir)
        #expect(run.status == 0, "\(run.output)")
        let record = try #require(try await ProgramCLI.history([], in: dir).first)
        let id = try #require(record["id"] as? String)
        let runDirectory = try #require(record["runDirectory"] as? String)

        let byId = try await ProgramCLI.run(["recover", id, "--from-store", "--dry-run"], in: dir)
        #expect(byId.status == 0, "\(byId.output)")
        #expect(byId.output.contains("run \(id) of touch-marker") && byId.output.contains("nothing to recover: \(runDirectory)"))

        let unknown = try await ProgramCLI.run(["recover", "no-such-run", "--from-store"], in: dir)
        #expect(unknown.status == 3 && unknown.output.contains("knows no run with id no-such-run"))
    }
}
