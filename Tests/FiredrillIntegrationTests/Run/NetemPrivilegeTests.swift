import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `network.netem` run by a user who is not root: the built binary (copied where any user may run it), started as
/// `nobody` through `runuser` when the tests run as root. The step is refused with the reason and a way out, nothing
/// is journaled as owed, and `recover` finds nothing to do.
@Suite(.serialized) struct NetemPrivilegeTests {
    @Test func aRunnerThatIsNotRootIsRefusedAndOwesNothing() async throws {
        let dir = try TempDirectory.make(prefix: "netem-unprivileged")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let binary = dir + "/firedrill"
        try FileManager.default.copyItem(atPath: try FiredrillBinary.path(), toPath: binary)
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: netem-unprivileged
        title: netem as a user who is not root
        environment: test
        method:
          - name: slow-loopback
            network.netem: { interface: lo, delay: 100ms, for: 1s }

        """.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        for path in [dir, binary] { chmod(path, 0o755) }
        chmod(dir + "/plan.yaml", 0o644)
        let runs = dir + "/runs"
        try FileManager.default.createDirectory(atPath: runs, withIntermediateDirectories: true)
        chmod(runs, 0o777)
        let asUser = geteuid() == 0 ? ["runuser", "-u", "nobody", "--"] : []

        // Started where the user may not write: the default reports root cannot be made, and the error says so.
        let unwritable = try ChildProcess(asUser + [binary, "run", dir + "/plan.yaml", "--no-store", "--quiet"], workingDirectory: dir)
        let refused = await unwritable.wait(timeout: .seconds(60))
        let why = unwritable.readOutput()
        if geteuid() == 0 {
            #expect(refused == 3 && why.contains("cannot create ./reports for the lock reports/.locks/netem-unprivileged.lock: Permission denied"), "\(why)")
            #expect(why.contains("Point --reports at a folder this user can write"), "\(why)")
            #expect(!FileManager.default.fileExists(atPath: dir + "/reports"))
        }

        let run = try ChildProcess(asUser + [binary, "run", dir + "/plan.yaml", "--reports", runs, "--report-dir", runs + "/run",
                                             "--no-store", "--quiet"], workingDirectory: dir)
        let status = await run.wait(timeout: .seconds(60))
        let output = run.readOutput()
        #expect(status == 3, "\(output)")
        #expect(output.contains("needs root to change qdiscs with tc (running as uid "), "\(output)")
        #expect(output.contains("use `network.proxy`, which needs no privileges"), "\(output)")

        let events = try JournalReader.read(at: URL(fileURLWithPath: runs + "/run/journal.jsonl")).events
        #expect(!events.contains { $0.is(.undoIntent) }, "nothing was applied, so nothing is owed")
        #expect(events.last?.is(.journalSealed) == true)
        let recover = try ChildProcess(asUser + [binary, "recover", runs + "/run", "--reports", runs, "--dry-run"], workingDirectory: dir)
        let recovered = await recover.wait(timeout: .seconds(60))
        let said = recover.readOutput()
        #expect(recovered == 0, "\(said)")
        #expect(said.contains("nothing"), "\(said)")
    }
}
