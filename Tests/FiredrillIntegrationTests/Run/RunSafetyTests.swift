import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

import FiredrillDrivers

/// Safe under real use, through the binary with real processes and real signals: one live runner per run and one
/// run of a plan at a time, `recover` never touching a live run, every catchable signal rolling back, a command's
/// process group ended by `recover`, an interlock that cannot be sidestepped or wedged, rollbacks on a full disk
/// and a bounded steady state.
@Suite(.serialized) struct RunSafetyTests {
    typealias Crash = CrashSafetyTests

    /// A plan that pauses the victim for `pause`, with a guard whose results print a line every 250 ms, and a
    /// rollback that leaves a stamp file.
    static func pausePlan(name: String, marker: String, stamp: String, pause: String = "60s") -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: \(name)
        title: pause a process
        environment: test
        steady-state:
          - name: alive
            command: [true]
        guards:
          - use: alive
            every: 250ms
        method:
          - name: pause-victim
            process.pause: { match: "\(marker)", for: \(pause) }
        rollbacks:
          - name: stamp
            command: [touch, "\(stamp)"]
        """
    }

    static func journal(_ runDir: String) throws -> JournalContents {
        try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
    }

    static func write(_ text: String, to path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Waits (at most 10 s) until `path` exists.
    static func waitForFile(_ path: String) async throws -> Bool {
        for _ in 0..<500 where !FileManager.default.fileExists(atPath: path) {
            try await Task.sleep(for: .milliseconds(20))
        }
        return FileManager.default.fileExists(atPath: path)
    }

    @Test func aSecondRunOfThePlanAndRecoverAreRefusedWhileTheFirstIsLive() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "live")
        let (victim, marker) = try Crash.victim("live")
        defer { victim.signal(SIGKILL) }
        let plan = dir + "/pause.yaml"
        try Self.write(Self.pausePlan(name: "live-pause", marker: marker, stamp: dir + "/stamp"), to: plan)
        let reports = dir + "/reports"
        let first = try ChildProcess([binary, "run", plan, "--reports", reports, "--quiet"])
        #expect(try await Crash.waitUntilStopped(victim.pid), "the victim was never paused")
        let runDir = reports + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { !$0.hasPrefix(".") }))

        let second = try ChildProcess([binary, "run", plan, "--reports", reports])
        #expect(await second.wait(timeout: .seconds(20)) == 3)
        let refusal = second.readOutput()
        #expect(refusal.contains("of live-pause is in progress (pid \(first.pid) on "), "\(refusal)")
        #expect(refusal.contains("--concurrent"))

        let elsewhere = try ChildProcess([binary, "run", plan, "--reports", reports, "--report-dir", dir + "/elsewhere"])
        #expect(await elsewhere.wait(timeout: .seconds(20)) == 3, "--report-dir must not sidestep the plan lock")

        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(20)) == 3)
        let recoverOutput = recover.readOutput()
        #expect(recoverOutput.contains("is in progress"), "\(recoverOutput)")
        #expect(recoverOutput.contains("pid \(first.pid)"), "\(recoverOutput)")
        #expect(Crash.state(victim.pid) == "T", "recover must leave a live run's fault alone")

        first.signal(SIGINT)
        #expect(await first.wait(timeout: .seconds(20)) == 130)
        let verify = try ChildProcess([binary, "verify", runDir])
        #expect(await verify.wait(timeout: .seconds(20)) == 0, "\(verify.readOutput())")
        let contents = try Self.journal(runDir)
        #expect(!contents.events.contains { $0.type == "recover.started" })
        #expect(contents.events.suffix(2).map(\.type) == ["run.ended", "journal.sealed"])
    }

    @Test(arguments: [("SIGHUP", SIGHUP), ("SIGQUIT", SIGQUIT), ("SIGTERM", SIGTERM)])
    func everyTerminatingSignalRollsBack(name: String, number: Int32) async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "signal")
        let (victim, marker) = try Crash.victim("signal")
        defer { victim.signal(SIGKILL) }
        let plan = dir + "/pause.yaml"
        let stamp = dir + "/stamp"
        try Self.write(Self.pausePlan(name: "signal-pause", marker: marker, stamp: stamp), to: plan)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir])
        #expect(try await Crash.waitUntilStopped(victim.pid), "the victim was never paused")
        runner.signal(number)
        #expect(await runner.wait(timeout: .seconds(20)) == 130)
        let state = Crash.state(victim.pid)
        #expect(state == "S" || state == "R", "after \(name) the victim is \(String(describing: state))")
        #expect(FileManager.default.fileExists(atPath: stamp), "the rollback did not run")
        let contents = try Self.journal(runDir)
        #expect(contents.events.contains { $0.type == "run.interrupted" && $0.data["signal"]?.stringValue == name })
        #expect(contents.events.contains { $0.type == "step.ended" && $0.step == "stamp" && $0.data["status"] == "ok" })
        let ended = try #require(contents.events.last { $0.type == "run.ended" })
        #expect(ended.data["ending"] == "interrupted")
    }

    @Test func aClosedOutputPipeRollsBack() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "pipe")
        let (victim, marker) = try Crash.victim("pipe")
        defer { victim.signal(SIGKILL) }
        let plan = dir + "/pause.yaml"
        let stamp = dir + "/stamp"
        try Self.write(Self.pausePlan(name: "pipe-pause", marker: marker, stamp: stamp), to: plan)
        let runDir = dir + "/run"
        // `firedrill run … | sed '/pause-victim started/q'`: the reader goes away once the fault is in effect. The
        // values arrive as positional parameters, never inside the script text.
        let shell = try ChildProcess(["/bin/bash", "-c", "\"$0\" run \"$1\" --report-dir \"$2\" | sed '/pause-victim started/q'; exit \"${PIPESTATUS[0]}\"",
                                      binary, plan, runDir])
        #expect(await shell.wait(timeout: .seconds(40)) == 130, "\(shell.readOutput())")
        let state = Crash.state(victim.pid)
        #expect(state == "S" || state == "R", "after SIGPIPE the victim is \(String(describing: state))")
        #expect(FileManager.default.fileExists(atPath: stamp), "the rollback did not run")
        let contents = try Self.journal(runDir)
        #expect(contents.events.contains { $0.type == "run.interrupted" && $0.data["signal"] == "SIGPIPE" })
        #expect(contents.events.contains { $0.type == "undo.done" })
    }

    @Test(arguments: [100, 250])
    func aSignalInTheFirstMillisecondsEndsWith130(milliseconds: Int) async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "early")
        let plan = dir + "/wait.yaml"
        try Self.write("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: early-signal
        title: interrupted at once
        environment: test
        method:
          - wait: 20s
        """, to: plan)
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", dir + "/run"])
        try await Task.sleep(for: .milliseconds(milliseconds))
        runner.signal(SIGTERM)
        #expect(await runner.wait(timeout: .seconds(20)) == 130)
        #expect(runner.process.terminationReason == .exit, "the runner must exit, not die of the signal")
    }

    @Test func recoverEndsTheProcessGroupOfACommandStepWhoseRunnerWasKilled() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "group")
        let pidFile = dir + "/child.pid"
        let plan = dir + "/command.yaml"
        // The step's process writes its pid, then starts a grandchild in the same group and waits.
        try Self.write("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: long-command
        title: a long command step
        environment: test
        method:
          - name: long
            command: [python3, -c, "import os, subprocess, time\\nopen('\(pidFile)', 'w').write(str(os.getpid()))\\nsubprocess.Popen(['sleep', '300'])\\ntime.sleep(300)"]
        """, to: plan)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        #expect(try await Self.waitForFile(pidFile))
        try await Task.sleep(for: .milliseconds(300))
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(10))
        let group = try #require(Int32(try String(contentsOfFile: pidFile, encoding: .utf8)))
        #expect(kill(-group, 0) == 0, "the command's group must outlive a SIGKILLed runner")

        let dry = try ChildProcess([binary, "recover", "--dry-run", runDir])
        #expect(await dry.wait(timeout: .seconds(20)) == 0)
        let plannedText = dry.readOutput()
        #expect(plannedText.contains("end process group \(group)"), "\(plannedText)")
        #expect(kill(-group, 0) == 0, "--dry-run must change nothing")

        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(30)) == 0)
        let output = recover.readOutput()
        #expect(output.contains("ended process group \(group)"), "\(output)")
        var gone = false
        for _ in 0..<250 {
            if kill(-group, 0) != 0 { gone = true; break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(gone, "the group must be gone after recover")
    }

    @Test func aRunKilledBeforeItInjectedDoesNotBlockTheNext() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "steady")
        let started = dir + "/probing"
        let plan = dir + "/steady.yaml"
        try Self.write("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: killed-in-steady-state
        title: killed while probing
        environment: test
        vars: { nap: "30" }
        steady-state:
          - name: slow
            command: [python3, -c, "import sys, time\\nopen(sys.argv[1], 'w')\\ntime.sleep(float(sys.argv[2]))", "\(started)", "${nap}"]
            timeout: 60s
        method:
          - wait: 10ms
        """, to: plan)
        let reports = dir + "/reports"
        let first = try ChildProcess([binary, "run", plan, "--reports", reports, "--quiet"])
        #expect(try await Self.waitForFile(started))
        first.signal(SIGKILL)
        _ = await first.wait(timeout: .seconds(10))

        let second = try ChildProcess([binary, "run", plan, "--reports", reports, "--var", "nap=0"])
        #expect(await second.wait(timeout: .seconds(60)) == 0, "\(second.readOutput())")
    }

    @Test func reportDirDoesNotSidestepOwedUndos() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "sidestep")
        let (victim, marker) = try Crash.victim("sidestep")
        defer { victim.signal(SIGKILL) }
        let plan = dir + "/pause.yaml"
        try Self.write(Self.pausePlan(name: "sidestep-pause", marker: marker, stamp: dir + "/stamp"), to: plan)
        let reports = dir + "/reports"
        // The first run writes outside the reports root; the index under it still finds the run.
        let first = try ChildProcess([binary, "run", plan, "--reports", reports, "--report-dir", dir + "/first", "--quiet"])
        #expect(try await Crash.waitUntilStopped(victim.pid))
        first.signal(SIGKILL)
        _ = await first.wait(timeout: .seconds(10))

        let second = try ChildProcess([binary, "run", plan, "--reports", reports, "--report-dir", dir + "/second"])
        #expect(await second.wait(timeout: .seconds(20)) == 3)
        let output = second.readOutput()
        #expect(output.contains("still owes"), "\(output)")
        #expect(output.contains(dir + "/first"), "\(output)")
        #expect(Crash.state(victim.pid) == "T")

        let recover = try ChildProcess([binary, "recover", dir + "/first"])
        #expect(await recover.wait(timeout: .seconds(30)) == 0)
        let resumed = Crash.state(victim.pid)
        #expect(resumed == "S" || resumed == "R")
    }

    /// `firedrill recover` with no run directory, as typed after an SSH drop: the one run under the reports root
    /// that owes work is recovered; with several (or a live one) each is listed and nothing is touched.
    @Test func recoverWithNoRunDirectoryFindsTheOneRunThatOwesWork() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "recover-find")
        let reports = dir + "/reports"
        let nothing = try ChildProcess([binary, "recover", "--reports", reports])
        #expect(await nothing.wait(timeout: .seconds(20)) == 0)
        #expect(nothing.readOutput().contains("nothing to recover under \(reports): no run owes an undo or a rollback"))

        let (victimA, markerA) = try Crash.victim("find-a")
        defer { victimA.signal(SIGKILL) }
        let (victimB, markerB) = try Crash.victim("find-b")
        defer { victimB.signal(SIGKILL) }
        try Self.write(Self.pausePlan(name: "a-pause", marker: markerA, stamp: dir + "/stamp-a"), to: dir + "/a.yaml")
        try Self.write(Self.pausePlan(name: "b-pause", marker: markerB, stamp: dir + "/stamp-b"), to: dir + "/b.yaml")
        let dead = try ChildProcess([binary, "run", dir + "/a.yaml", "--reports", reports, "--quiet"])
        #expect(try await Crash.waitUntilStopped(victimA.pid), "victim A was never paused")
        dead.signal(SIGKILL)
        _ = await dead.wait(timeout: .seconds(10))
        let live = try ChildProcess([binary, "run", dir + "/b.yaml", "--reports", reports, "--quiet"])
        defer { live.signal(SIGKILL) }
        #expect(try await Crash.waitUntilStopped(victimB.pid), "victim B was never paused")
        let deadDir = reports + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { $0.hasSuffix("-a-pause") }))

        let several = try ChildProcess([binary, "recover", "--reports", reports])
        #expect(await several.wait(timeout: .seconds(20)) == 3)
        let listed = several.readOutput()
        #expect(listed.contains("2 unfinished runs under \(reports); name the one to recover"), "\(listed)")
        #expect(listed.contains("\(deadDir): owes 1 undo: "), "\(listed)")
        #expect(listed.contains("-b-pause is in progress (`firedrill run`, pid \(live.pid) on "), "\(listed)")
        #expect(Crash.state(victimA.pid) == "T" && Crash.state(victimB.pid) == "T", "nothing is touched when no run is chosen")

        live.signal(SIGINT)
        #expect(await live.wait(timeout: .seconds(20)) == 130)
        let one = try ChildProcess([binary, "recover", "--reports", reports])
        #expect(await one.wait(timeout: .seconds(30)) == 0)
        let recovered = one.readOutput()
        #expect(recovered.contains("recovering \(deadDir): the only run under \(reports) that owes work"), "\(recovered)")
        let resumed = Crash.state(victimA.pid)
        #expect(resumed == "S" || resumed == "R")
        let again = try ChildProcess([binary, "recover", "--reports", reports])
        #expect(await again.wait(timeout: .seconds(20)) == 0)
        #expect(again.readOutput().contains("nothing to recover under"))
    }

    @Test func recoverRunsTheUndosEvenWhenThePlanCopyNoLongerLoads() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "oldplan")
        let (victim, marker) = try Crash.victim("oldplan")
        defer { victim.signal(SIGKILL) }
        let plan = dir + "/pause.yaml"
        try Self.write(Self.pausePlan(name: "old-plan", marker: marker, stamp: dir + "/stamp"), to: plan)
        let runDir = dir + "/run"
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        #expect(try await Crash.waitUntilStopped(victim.pid))
        runner.signal(SIGKILL)
        _ = await runner.wait(timeout: .seconds(10))
        // As if the run had been started by an older release that accepted what this one refuses.
        try Self.write("apiVersion: firedrill/v1\nkind: Experiment\nname: old-plan\nno-such-key: 1\n", to: runDir + "/plan.yaml")

        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(30)) == 3, "the rollbacks could not run: the exit says so")
        let output = recover.readOutput()
        #expect(output.contains("NOT run"), "\(output)")
        let state = Crash.state(victim.pid)
        #expect(state == "S" || state == "R", "the journaled undo must still run: \(String(describing: state))")
    }

    @Test func recoverRepairsATornLastLine() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "torn")
        let plan = dir + "/ok.yaml"
        try Self.write("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: torn-tail
        title: a run whose journal loses half a line
        environment: test
        method:
          - wait: 10ms
        """, to: plan)
        let runDir = dir + "/run"
        let run = try ChildProcess([binary, "run", plan, "--report-dir", runDir, "--quiet"])
        #expect(await run.wait(timeout: .seconds(30)) == 0)
        let handle = try #require(FileHandle(forWritingAtPath: runDir + "/journal.jsonl"))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"data":{"phase":"rollb"#.utf8))
        try handle.close()
        let before = try ChildProcess([binary, "verify", runDir])
        #expect(await before.wait(timeout: .seconds(20)) != 0)

        let recover = try ChildProcess([binary, "recover", runDir])
        #expect(await recover.wait(timeout: .seconds(30)) == 0)
        #expect(recover.readOutput().contains("torn last line"))
        let after = try ChildProcess([binary, "verify", runDir])
        #expect(await after.wait(timeout: .seconds(20)) == 0)
        #expect(after.readOutput().contains("note: event"), "verify must mention the repaired tail")
        let contents = try Self.journal(runDir)
        #expect(contents.events.contains { $0.type == Journal.tornLineDiscardedType })
    }

    @Test func aFullDiskStillRunsTheRollbacks() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "tmpfs")
        let disk = dir + "/disk"
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        let mount = try ChildProcess(["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", disk])
        try #require(await mount.wait(timeout: .seconds(20)) == 0, "mounting a tmpfs needs root: \(mount.readOutput())")
        defer { Self.unmount(disk) }
        let marker = dir + "/rolled-back"
        let plan = dir + "/fill.yaml"
        // Once the disk is full the journal can still fill the last page it has (a few events): the waits use it
        // up, so a journal write fails before the step that would inject.
        let waits = (1...16).map { "  - { name: w\($0), wait: 1ms }" }.joined(separator: "\n")
        try Self.write("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: disk-fills
        title: the disk fills mid-run
        environment: test
        method:
          - name: fill-the-disk
            command: { run: [dd, if=/dev/zero, "of=\(disk)/fill", bs=4k], ok-exit-codes: [0, 1] }
        \(waits)
          - name: never-runs
            command: [touch, "\(dir)/injected-after-failure"]
        rollbacks:
          - name: marker
            command: [touch, "\(marker)"]
        """, to: plan)
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", disk + "/run"])
        let status = await runner.wait(timeout: .seconds(60))
        let output = runner.readOutput()
        #expect(status == 3, "\(output)")
        #expect(FileManager.default.fileExists(atPath: marker), "the rollback must run on a full disk: \(output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/injected-after-failure"))
        #expect(output.contains("THE JOURNAL"), "\(output)")
    }

    /// Detaches the tmpfs at `path` and waits for `umount` to finish.
    static func unmount(_ path: String) {
        let umount = Process()
        umount.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        umount.arguments = ["umount", "-l", path]
        try? umount.run()
        umount.waitUntilExit()
    }

    @Test func limitsDurationBoundsAHangingSteadyStateProbe() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "bounded")
        let plan = dir + "/hang.yaml"
        try Self.write("""
        apiVersion: firedrill/v1
        kind: Experiment
        name: hanging-probe
        title: a steady-state probe that hangs
        environment: test
        limits: { duration: 3s }
        steady-state:
          - name: hangs
            command: [sleep, "60"]
            timeout: 50s
            attempts: 3
        method:
          - wait: 10ms
        """, to: plan)
        let runDir = dir + "/run"
        let clock = ContinuousClock()
        let start = clock.now
        let runner = try ChildProcess([binary, "run", plan, "--report-dir", runDir])
        let status = await runner.wait(timeout: .seconds(60))
        #expect(status == 2, "\(runner.readOutput())")
        #expect(clock.now - start < .seconds(30), "limits.duration of 3s must bound the steady state")
        let contents = try Self.journal(runDir)
        #expect(contents.events.contains { $0.type == "limit.exceeded" })
    }
}

/// A drill whose failback points DNS back at the primary (moto, the real `aws` CLI) and scales the standby back down
/// (a stand-in `kubectl`): the failback's own undos are never owed, nothing is left pending, `recover` has nothing
/// to do and the next run starts.
@Suite(.serialized) struct RestorationTests {
    static func aws(_ moto: MotoFixture, _ args: [String]) async throws -> JSONValue {
        let result = try await CommandRunner().run(CommandRequest(
            argv: ["aws"] + args + ["--endpoint-url", moto.endpoint, "--region", moto.region, "--output", "json"],
            environment: moto.environment, timeout: .seconds(60)))
        try result.check()
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? .object([:]) : try JSONValue.parse(text)
    }

    @Test func aCompletedFailbackLeavesNothingOwedAndTheNextRunStarts() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "failback")
        let moto = try MotoFixture()
        defer { moto.stop() }
        let created = try await Self.aws(moto, ["route53", "create-hosted-zone", "--name", "example.com", "--caller-reference", "firedrill-failback"])
        let zone = try #require(created["HostedZone"]?["Id"]?.stringValue?.split(separator: "/").last.map(String.init))
        let batch = #"{"Changes":[{"Action":"CREATE","ResourceRecordSet":{"Name":"api.example.com.","Type":"CNAME","TTL":60,"ResourceRecords":[{"Value":"primary.example.net"}]}}]}"#
        _ = try await Self.aws(moto, ["route53", "change-resource-record-sets", "--hosted-zone-id", zone, "--change-batch", batch])

        let kubectl = try StandInCLI(programs: ["kubectl"])
        let access = ["--namespace=geo", "--context=standby"]
        try kubectl.respond(["kubectl", "get", "deployment/api", "--output=json"] + access,
                            stdout: #"{"kind":"Deployment","metadata":{"name":"api"},"spec":{"replicas":1}}"#)
        for n in ["1", "3"] {
            try kubectl.respond(["kubectl", "scale", "deployment/api", "--replicas=\(n)"] + access, stdout: "deployment.apps/api scaled\n")
        }
        let up = dir + "/up"
        let dns = "region: \(moto.region), endpoint-url: \"\(moto.endpoint)\", hosted-zone: \(zone), record: api.example.com., type: CNAME, ttl: 60"
        let plan = dir + "/failback.yaml"
        try """
        apiVersion: firedrill/v1
        kind: Drill
        name: failback-restores
        title: serve from the standby, then fail back
        environment: test
        objectives: { rto: 5m }
        steady-state:
          - name: fine
            command: [true]
        disaster:
          - name: point-dns-at-standby
            aws.route53.failover: { \(dns), values: [standby.example.net] }
        recovery:
          - name: scale-up-standby
            kubernetes.scale: { context: standby, namespace: geo, deployment: api, replicas: 3 }
          - name: standby-up
            command: [touch, "\(up)"]
        recovered:
          command: [test, -e, "\(up)"]
          every: 100ms
          consecutive: 2
          timeout: 60s
        failback:
          - name: point-dns-at-primary
            aws.route53.failover: { \(dns), values: [primary.example.net] }
          - name: scale-down-standby
            kubernetes.scale: { context: standby, namespace: geo, deployment: api, replicas: 1 }
          - name: standby-down
            command: [rm, -f, "\(up)"]
        """.write(toFile: plan, atomically: true, encoding: .utf8)

        var environment = ProcessInfo.processInfo.environment
        environment.merge(moto.environment) { _, new in new }
        environment.merge(kubectl.environment) { _, new in new }
        let reports = dir + "/reports"
        let run = try ChildProcess([binary, "run", plan, "--reports", reports], environment: environment)
        #expect(await run.wait(timeout: .seconds(120)) == 0, "\(run.readOutput())")
        let runDir = reports + "/" + (try #require(try FileManager.default.contentsOfDirectory(atPath: reports).first { !$0.hasPrefix(".") }))
        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDir + "/journal.jsonl"))
        #expect(RunDirectory.pendingUndos(in: contents.events).isEmpty)
        let restorations = contents.events.filter { $0.type == "undo.intent" && $0.data["restoration"] == true }.compactMap(\.step)
        #expect(Set(restorations) == ["point-dns-at-primary", "scale-down-standby"])

        let listed = try await Self.aws(moto, ["route53", "list-resource-record-sets", "--hosted-zone-id", zone])
        let record = (listed["ResourceRecordSets"]?.arrayValue ?? []).first { $0["Name"] == "api.example.com." && $0["Type"] == "CNAME" }
        #expect(record?["ResourceRecords"]?[0]?["Value"] == "primary.example.net", "the failback must stay restored")

        let report = try String(contentsOfFile: runDir + "/report.md", encoding: .utf8)
        #expect(!report.contains("PENDING"), "nothing may be reported owed")
        let recover = try ChildProcess([binary, "recover", "--dry-run", runDir], environment: environment)
        #expect(await recover.wait(timeout: .seconds(30)) == 0)
        #expect(recover.readOutput().contains("nothing to recover"))

        let next = try ChildProcess([binary, "run", plan, "--reports", reports], environment: environment)
        #expect(await next.wait(timeout: .seconds(120)) == 0, "the next run must start: \(next.readOutput())")
    }
}
