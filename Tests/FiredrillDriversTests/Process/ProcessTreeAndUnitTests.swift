import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

#if canImport(Glibc)
import Glibc
#endif

/// `tree: true`, `unit:` and `cgroup:` on `process.kill` / `process.pause`, against real process trees and a real
/// cgroup v2 directory when this machine lets a test create one (else a fixture directory of the same layout).
@Suite("Process trees and units", .serialized)
struct ProcessTreeAndUnitTests {
    @Test func killWithTreeTakesDownEveryDescendantAndNothingElse() async throws {
        let tree = try await ProcessTreeFixture.start()
        defer { tree.killAll() }
        let (bystander, _) = try await launchSleeper()
        defer { kill(bystander.pid, SIGKILL) }
        let members = tree.all()
        #expect(members.count == 4)
        let test = CloudTestContext()
        let outcome = try await ProcessKillDriver().run(try params("{ pid: \(tree.root.pid), tree: true, signal: KILL }"), context: test.context)
        for pid in members { #expect(await waitUntilGone(pid, timeout: .seconds(10)), "pid \(pid) of the tree survived") }
        #expect(ProcessController().isRunning(bystander.pid))
        #expect(Set(outcome.output["signalled"]?.arrayValue?.compactMap { $0.intValue.map(Int32.init) } ?? []) == Set(members))
        // Every pid is journaled with its start time, the root first.
        let picked = await test.records("targets.resolved").first?["picked"]?.arrayValue ?? []
        #expect(picked.count == 4)
        #expect(picked.first?["pid"]?.intValue == Int(tree.root.pid))
        #expect(picked.allSatisfy { ($0["start"]?.doubleValue ?? 0) > 0 })
    }

    @Test func killWithoutTreeLeavesTheChildren() async throws {
        let tree = try await ProcessTreeFixture.start()
        defer { tree.killAll() }
        _ = try await ProcessKillDriver().run(try params("{ pid: \(tree.root.pid), signal: KILL }"), context: CloudTestContext().context)
        #expect(await waitUntilGone(tree.root.pid, timeout: .seconds(10)))
        #expect(tree.all().count == 3)
    }

    @Test func pauseWithTreeStopsAllAndTheJournaledUndoResumesAll() async throws {
        let tree = try await ProcessTreeFixture.start()
        defer { tree.killAll() }
        let members = tree.all()
        #expect(members.count == 4)
        let test = CloudTestContext()
        let context = test.context
        let pause = Task { try await ProcessPauseDriver().run(try params("{ pid: \(tree.root.pid), tree: true, for: 60s }"), context: context) }
        defer { pause.cancel() }
        let allStopped = await eventually(timeout: .seconds(10)) { members.allSatisfy { (try? ProcessController().isStopped($0)) == true } }
        #expect(allStopped, "states: \(members.map { ProcessController().state(of: $0).map(String.init) ?? "-" })")
        // What `firedrill recover` does with the journaled undo: resume every recorded process.
        let intent = try #require(await test.intents.first)
        #expect(intent.action.key == ProcessResumeUndo.key)
        #expect(intent.action.params["targets"]?.arrayValue?.count == 4)
        _ = try await ProcessResumeUndo().undo(intent.action.params, context: context)
        let allResumed = await eventually(timeout: .seconds(10)) { members.allSatisfy { (try? ProcessController().isStopped($0)) == false } }
        #expect(allResumed)
        pause.cancel()
        _ = try? await pause.value
    }

    @Test func unitAndCgroupTakeEveryProcessInTheCgroup() async throws {
        let group = try TestCgroup.make()
        let tree = try await ProcessTreeFixture.start()
        defer { tree.killAll() }
        let (bystander, _) = try await launchSleeper()
        defer { kill(bystander.pid, SIGKILL) }
        let members = tree.all()
        for pid in members { try group.add(pid) }
        defer { Task { await group.remove() } }

        // `cgroup:` with pause: every member stopped, then resumed.
        let test = CloudTestContext()
        _ = try await ProcessPauseDriver().run(try params("{ cgroup: '\(group.directory)', for: 1s }"), context: test.context)
        let resumed = try #require(await test.intents.first).action.params["targets"]?.arrayValue ?? []
        #expect(Set(resumed.compactMap { $0["pid"]?.intValue.map(Int32.init) }) == Set(members))

        // `unit:` resolves to the cgroup (systemd's answer, else a search of the cgroup mounts).
        if group.isReal {
            _ = try await ProcessKillDriver().run(try params("{ unit: \(group.unitName), signal: KILL }"), context: CloudTestContext().context)
        } else {
            // A fixture directory is not under a cgroup mount, so `unit:` cannot find it: kill through `cgroup:`.
            _ = try await ProcessKillDriver().run(try params("{ cgroup: '\(group.directory)', signal: KILL }"), context: CloudTestContext().context)
        }
        for pid in members { #expect(await waitUntilGone(pid, timeout: .seconds(10)), "pid \(pid) of the cgroup survived") }
        #expect(ProcessController().isRunning(bystander.pid))
        await group.remove()
    }

    @Test func unitNamesAndMissingUnits() async throws {
        #expect(ControlGroup.unitName("nginx") == "nginx.service")
        #expect(ControlGroup.unitName("nginx.service") == "nginx.service")
        #expect(ControlGroup.unitName("session-2.scope") == "session-2.scope")
        // A cgroup mount root is the whole host: refused, never read as "every process".
        for root in ["/", "/sys/fs/cgroup", "/sys/fs/cgroup/unified/", "/sys/fs/cgroup/systemd"] {
            #expect(throws: ProcessError.self) { try ControlGroup.at(path: root) }
        }
        let error2 = await #expect(throws: DriverError.self) {
            try await ProcessKillDriver().run(try params("{ cgroup: /sys/fs/cgroup }"), context: CloudTestContext().context)
        }
        #expect(error2?.description.contains("whole host") == true)
        let error = await #expect(throws: DriverError.self) {
            try await ProcessKillDriver().run(try params("{ unit: firedrill-no-such-unit-\(Int.random(in: 1000...9999)) }"), context: CloudTestContext().context)
        }
        #expect(error?.description.contains("no cgroup for firedrill-no-such-unit-") == true)
    }
}

/// `process.start` against a real `python3 -m http.server` on a free loopback port.
@Suite("process.start", .serialized)
struct ProcessStartTests {
    static func freePort() throws -> Int {
        let listener = try LoopbackListener()
        let port = Int(listener.port)
        listener.stop()
        return port
    }

    @Test func startsADetachedDaemonReadyOnItsPortAndTheUndoStopsIt() async throws {
        let port = try Self.freePort()
        let directory = try TempDirectory.make(prefix: "firedrill-start")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let test = CloudTestContext()
        let outcome = try await ProcessStartDriver().run(try params("""
            { run: [python3, -m, http.server, --bind, 127.0.0.1, '\(port)'], env: { DRILL: '1' }, cwd: '\(directory)',
              output: '\(directory)/daemon.log', ready-port: '127.0.0.1:\(port)', ready-after: 100ms, ready-timeout: 30s, grace: 2s }
            """), context: test.context)
        let pid = try #require(outcome.output["pid"]?.intValue.map(Int32.init))
        defer { kill(pid, SIGKILL) }
        // Detached: its own session, and it answers.
        let snapshot = try #require(ProcessSnapshot.read(pid: pid))
        #expect(snapshot.processGroupID == pid)
        _ = try await TCPConnector.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
        // The undo was journaled first, and names the daemon by the token in its environment.
        let intent = try #require(await test.intents.first)
        #expect(intent.action.key == ProcessStopUndo.key)
        let token = try #require(intent.action.params["token"]?.stringValue)
        #expect(ProcessStopUndo.processes(carrying: token) == [pid])
        let how = try await ProcessStopUndo().undo(intent.action.params, context: test.context)
        #expect(how.contains("stopped pid \(pid)"))
        #expect(await waitUntilGone(pid, timeout: .seconds(10)))
        #expect(FileManager.default.fileExists(atPath: directory + "/daemon.log"))
    }

    @Test func readyPollsAProbeWithItsExpect() async throws {
        let port = try Self.freePort()
        let outcome = try await ProcessStartDriver().run(try params("""
            { run: [python3, -m, http.server, --bind, 127.0.0.1, '\(port)'], cwd: /tmp, output: /dev/null,
              ready: { tcp: { host: 127.0.0.1, port: \(port) }, expect: { connected: true } }, ready-timeout: 30s }
            """), context: CloudTestContext().context)
        let pid = try #require(outcome.output["pid"]?.intValue.map(Int32.init))
        defer { kill(pid, SIGKILL) }
        _ = try await TCPConnector.connect(host: "127.0.0.1", port: port, timeout: .seconds(5))
    }

    /// The `ready` probe is checked when the plan loads, at its line, like any probe; and `firedrill plan` shows the
    /// daemon's argv.
    @Test func aReadyProbeIsCheckedAtLoadAndThePlanShowsTheArgv() throws {
        let yaml = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: start-plan
        title: daemons whose readiness cannot be checked
        environment: test
        method:
          - name: no-expect
            process.start: { run: [sleep, '30'], ready: { tcp: { host: 127.0.0.1, port: 1 } } }
          - name: no-driver
            process.start: { run: [sleep, '30'], ready: { htp: { url: "http://127.0.0.1:1/" }, expect: 200 } }
          - name: bad-param
            process.start: { run: [sleep, '30'], ready: { tcp: { host: 127.0.0.1, prot: 1 }, expect: { connected: true } } }
          - name: fine
            process.start: { run: [sleep, '30'], ready: { tcp: { host: 127.0.0.1, port: 1 }, expect: { connected: true } } }
        """
        let result = PlanLoader.load(data: Data(yaml.utf8), path: "start.yaml", catalog: TestCatalog.builtin)
        let lines = result.errors.map(\.headline)
        #expect(lines.contains { $0.hasPrefix("start.yaml:8:") && $0.contains("`process.start.ready` needs an `expect`") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("start.yaml:10:") && $0.contains("htp") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("start.yaml:12:") && $0.contains("prot") }, "\(lines)")
        #expect(!lines.contains { $0.hasPrefix("start.yaml:14:") }, "\(lines)")
        let fine = try params("{ run: [sleep, '30'], ready-port: '127.0.0.1:1' }")
        #expect(BuiltinDrivers.describeArgv("process.start", fine) == [["sleep", "30"]])
    }

    @Test func aReadyProbeThatNeverPassesFailsTheStepWithItsLastJudgement() async throws {
        let port = try Self.freePort()
        let test = CloudTestContext()
        let error = await #expect(throws: DriverError.self) {
            try await ProcessStartDriver().run(try params("""
                { run: [sleep, '30'], ready: { tcp: { host: 127.0.0.1, port: \(port) }, expect: { connected: true } }, ready-timeout: 1s }
                """), context: test.context)
        }
        #expect(error?.description.contains("did not pass within") == true)
        // The journaled undo stops the daemon the failed step leaves.
        let intent = try #require(await test.intents.first)
        _ = try await ProcessStopUndo().undo(intent.action.params, context: test.context)
        let token = try #require(intent.action.params["token"]?.stringValue)
        let left = ProcessStopUndo.processes(carrying: token)
        #expect(left.isEmpty)
    }

    @Test func aDaemonThatExitsBeforeItsPortOpensFailsTheStep() async throws {
        let port = try Self.freePort()
        let error = await #expect(throws: DriverError.self) {
            try await ProcessStartDriver().run(try params("{ run: [python3, -c, 'import sys; sys.exit(3)'], ready-port: '127.0.0.1:\(port)', ready-timeout: 20s }"),
                                               context: CloudTestContext().context)
        }
        #expect(error?.description.contains("exited with status 3") == true)
    }
}
