import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `notify:` against a real HTTP receiver on 127.0.0.1: the announcement before anything is injected, a guard
/// breach told as it happens without holding up the rollbacks, the ending with its reason, a failed rollback,
/// retries, `announce: required`, and every delivery journaled without the (secret) URL.
@Suite(.serialized) struct NotificationTests {
    static func journal(_ dir: String) throws -> [JournalEvent] {
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir + "/reports").filter { !$0.hasPrefix(".") }
        try #require(runs.count == 1, "\(runs)")
        return try JournalReader.read(at: URL(fileURLWithPath: dir + "/reports/" + runs[0] + "/journal.jsonl")).events
    }

    static func environment(_ extra: [String: String]) -> [String: String] {
        ProcessInfo.processInfo.environment.merging(extra) { $1 }
    }

    /// A `rollbacks:` section whose one step succeeds only once the receiver's log (`log`) holds the `aborted`
    /// notice (bounded: 200 × 0.1 s), proving the abort is told while the rollbacks run.
    static func rollbackWaitingForTheAbortNotice(_ log: String) -> String {
        """
        rollbacks:
          - name: wait-for-the-abort-notice
            command:
              - sh
              - -c
              - 'for i in $(seq 200); do grep -qF ''event\\":\\"aborted'' "$0" 2>/dev/null && exit 0; sleep 0.1; done; exit 1'
              - "\(log)"
        """
    }

    @Test func theRunIsAnnouncedAndItsEndingToldToAWebhookAndToSlackWithRetries() async throws {
        let dir = try TempDirectory.make(prefix: "notify")
        // The first two requests fail: the bounded retry gets the announcement through.
        let receiver = try await NotificationReceiver(mode: "fail-first:2", in: dir)
        defer { receiver.stop() }
        let marker = dir + "/marker"
        try ProgramCLI.plan(name: "db-failover", marker: marker, extra: """
            secrets:
              slack-webhook: { env: TEST_SLACK_URL }
            notify:
              - webhook: \(receiver.url("/hook"))
                events: [started, ended]
              - slack: "${secret.slack-webhook}"
                announce: required

            """).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir,
                                           environment: Self.environment(["TEST_SLACK_URL": receiver.url("/services/T0KEN-s3cr3t")]))
        #expect(run.status == 0, "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: marker))

        // Retried requests arrive more than once.
        let hookEvents = try receiver.events(on: "/hook")
        #expect(hookEvents.filter { $0 != "started" } == ["ended"] && hookEvents.first == "started")
        let hook = try #require(try receiver.received().last { $0.path == "/hook" }?.body)
        let ended = try JSONValue.parse(hook)
        #expect(ended["schema"]?.stringValue == "firedrill.notification/v1")
        #expect(ended["plan"]?.stringValue == "db-failover" && ended["ending"]?.stringValue == "passed" && ended["environment"]?.stringValue == "test")
        #expect(ended["run-directory"]?.stringValue?.contains("/reports/") == true)
        let slack = try receiver.received().filter { $0.path == "/services/T0KEN-s3cr3t" }.map { try JSONValue.parse($0.body)["text"]?.stringValue ?? "" }
        #expect(slack.contains { $0.contains("Drill starting: *db-failover* in *test*") })
        #expect(slack.contains { $0.contains("*db-failover* ended in test: *PASSED*") && $0.contains("report.html") })

        let events = try Self.journal(dir)
        let deliveries = events.filter { $0.type.hasPrefix("notify.") }
        #expect(deliveries.filter { $0.type == "notify.delivered" }.count == 4, "\(deliveries.map(\.data))")
        // Two failures on the first requests: one target needed retries to get the announcement through.
        #expect(deliveries.contains { $0.data["event"]?.stringValue == "started" && ($0.data["attempts"]?.intValue ?? 0) > 1 })
        #expect(deliveries.allSatisfy { !$0.data.canonicalJSON().contains("T0KEN") })
        #expect(deliveries.contains { $0.data["target"]?.stringValue == "slack #2 (127.0.0.1)" })
    }

    @Test func aRequiredAnnouncementThatCannotBeDeliveredRefusesBeforeAnythingIsInjected() async throws {
        let dir = try TempDirectory.make(prefix: "notify-required")
        let receiver = try await NotificationReceiver(mode: "fail", in: dir)
        defer { receiver.stop() }
        let marker = dir + "/marker"
        try ProgramCLI.plan(name: "db-failover", marker: marker, extra: """
            notify:
              - webhook: \(receiver.url("/hook"))
                announce: required

            """).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let refused = try await ProgramCLI.run(["run", "plan.yaml"], in: dir)
        #expect(refused.status == 3, "\(refused.output)")
        #expect(refused.output.contains("could not announce the run to webhook #1 (127.0.0.1) after 3 attempt(s): HTTP 503"))
        #expect(refused.output.contains("nothing was injected"))
        #expect(!FileManager.default.fileExists(atPath: marker))
        #expect(try receiver.events(on: "/hook") == ["started", "started", "started"])

        // Best effort: the same failure is reported and journaled, and the run goes ahead.
        try ProgramCLI.plan(name: "db-failover", marker: marker, extra: """
            notify:
              - webhook: \(receiver.url("/hook"))
                events: [started]

            """).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let ran = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir)
        #expect(ran.status == 0, "\(ran.output)")
        #expect(FileManager.default.fileExists(atPath: marker))
        let failed = try Self.journal(dir).filter { $0.type == "notify.failed" }
        #expect(failed.count == 1 && failed.first?.data["error"]?.stringValue == "HTTP 503")
    }

    @Test func aGuardBreachIsToldAsItHappensWithoutHoldingUpTheRollbacks() async throws {
        let dir = try TempDirectory.make(prefix: "notify-breach")
        // Every answer takes 30 s: far longer than the rollbacks.
        try FileManager.default.createDirectory(atPath: dir + "/slow", withIntermediateDirectories: true)
        let slow = try await NotificationReceiver(mode: "hang", in: dir + "/slow")
        defer { slow.stop() }
        let flag = dir + "/flag"
        let rolledBack = dir + "/rolled-back"
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: breach
        title: a guard breaches
        environment: test
        steady-state:
          - name: alive
            command: [true]
        guards:
          - name: flag-absent
            command: [test, "!", "-e", "\(flag)"]
            every: 200ms
        method:
          - name: raise-flag
            command: [touch, "\(flag)"]
          - name: linger
            command: [sleep, "20"]
        rollbacks:
          - name: lower-flag
            command: [rm, -f, "\(flag)"]
          - name: stamp
            command: [touch, "\(rolledBack)"]
          - name: broken
            command: ["false"]
            on-error: continue
        notify:
          - webhook: \(slow.url("/hook"))

        """.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir)
        #expect(run.status == 2, "\(run.output)")
        #expect(FileManager.default.fileExists(atPath: rolledBack))
        let events = try Self.journal(dir)
        let breach = try #require(events.firstIndex { $0.type == "guard.breached" })
        let rollbacksDone = try #require(events.lastIndex { $0.type == "step.ended" && $0.step == "stamp" })
        let breachTold = try #require(events.firstIndex { $0.type.hasPrefix("notify.") && $0.data["event"]?.stringValue == "guard-breached" })
        // The breach went out in the background: the rollbacks finished before its (slow) delivery was journaled.
        #expect(breach < rollbacksDone && rollbacksDone < breachTold)
        let told = Set(events.filter { $0.type.hasPrefix("notify.") }.compactMap { $0.data["event"]?.stringValue })
        #expect(told == ["started", "guard-breached", "aborted", "rollback-failed", "ended"] || told == ["started", "guard-breached", "aborted", "ended"])
        let received = try slow.events(on: "/hook")
        #expect(received.contains("guard-breached") && received.contains("aborted") && received.contains("ended"))
    }

    @Test func anAbortIsToldWhileTheRollbacksRunAndOnlyOnce() async throws {
        let dir = try TempDirectory.make(prefix: "notify-abort")
        let receiver = try await NotificationReceiver(mode: "ok", in: dir)
        defer { receiver.stop() }
        let flag = dir + "/flag"
        // The rollback waits (at most 20 s) for the receiver to have the `aborted` notification: it succeeds only
        // if the abort was told while the rollbacks ran, not after them.
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: abort-told
        title: an abort is told as it happens
        environment: test
        steady-state:
          - name: alive
            command: [true]
        guards:
          - name: flag-absent
            command: [test, "!", "-e", "\(flag)"]
            every: 200ms
        method:
          - name: raise-flag
            command: [touch, "\(flag)"]
          - name: linger
            command: [sleep, "20"]
        \(Self.rollbackWaitingForTheAbortNotice(receiver.log))
        notify:
          - webhook: \(receiver.url("/hook"))

        """.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir)
        #expect(run.status == 2, "\(run.output)")
        let events = try Self.journal(dir)
        #expect(events.contains { $0.type == "step.ended" && $0.step == "wait-for-the-abort-notice" && $0.data["status"]?.stringValue == "ok" },
                "\(events.filter { $0.type == "step.ended" }.map(\.data))")
        let received = try receiver.events(on: "/hook")
        #expect(received.filter { $0 == "aborted" }.count == 1, "\(received)")
        #expect(received.first == "started" && received.last == "ended" && received.contains("guard-breached"), "\(received)")
        let aborted = try #require(try receiver.received().first { $0.body.contains("\"event\":\"aborted\"") })
        #expect(try JSONValue.parse(aborted.body)["reason"]?.stringValue == "guard flag-absent breached")
    }

    @Test func anAbortAtTheDurationLimitIsToldWhileTheRollbacksRun() async throws {
        let dir = try TempDirectory.make(prefix: "notify-limit")
        let receiver = try await NotificationReceiver(mode: "ok", in: dir)
        defer { receiver.stop() }
        try """
        apiVersion: firedrill/v1
        kind: Experiment
        name: limit-told
        title: the duration limit aborts the run
        environment: test
        limits: { duration: 2s }
        steady-state:
          - name: alive
            command: [true]
        method:
          - name: linger
            command: [sleep, "30"]
        \(Self.rollbackWaitingForTheAbortNotice(receiver.log))
        notify:
          - webhook: \(receiver.url("/hook"))

        """.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir)
        #expect(run.status == 2, "\(run.output)")
        let events = try Self.journal(dir)
        #expect(events.contains { $0.type == "step.ended" && $0.step == "wait-for-the-abort-notice" && $0.data["status"]?.stringValue == "ok" },
                "\(events.filter { $0.type == "step.ended" }.map(\.data))")
        #expect(try receiver.events(on: "/hook").filter { $0 == "aborted" }.count == 1)
    }

    @Test func theConfigFileNotifiesEveryRunWithItsOwnSecretsAndABadOneStopsTheRunAtItsLine() async throws {
        let dir = try TempDirectory.make(prefix: "notify-config")
        let receiver = try await NotificationReceiver(mode: "ok", in: dir)
        defer { receiver.stop() }
        let marker = dir + "/marker"
        // The plan notifies no one: the team hears of it through the runner's configuration file.
        try ProgramCLI.plan(name: "db-failover", marker: marker).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        try """
        protected-environments: [production]
        secrets:
          team-hook: { env: TEST_TEAM_HOOK }
        notify:
          - slack: "${secret.team-hook}"
            announce: required

        """.write(toFile: dir + "/config.yaml", atomically: true, encoding: .utf8)
        let secretURL = receiver.url("/services/T0KEN-c0nf1g")
        let run = try await ProgramCLI.run(["run", "plan.yaml", "--quiet"], in: dir,
                                           environment: Self.environment(["FIREDRILL_CONFIG": dir + "/config.yaml", "TEST_TEAM_HOOK": secretURL]))
        #expect(run.status == 0, "\(run.output)")
        let texts = try receiver.received().filter { $0.path == "/services/T0KEN-c0nf1g" }.map { try JSONValue.parse($0.body)["text"]?.stringValue ?? "" }
        #expect(texts.contains { $0.contains("Drill starting: *db-failover*") } && texts.contains { $0.contains("*PASSED*") }, "\(texts)")
        let deliveries = try Self.journal(dir).filter { $0.type.hasPrefix("notify.") }
        #expect(deliveries.count == 2 && deliveries.allSatisfy { $0.data["target"]?.stringValue == "config slack #1 (127.0.0.1)" }, "\(deliveries.map(\.data))")
        // The webhook URL (a secret) is written nowhere in the run directory.
        let runs = try FileManager.default.contentsOfDirectory(atPath: dir + "/reports").filter { !$0.hasPrefix(".") }
        for name in try FileManager.default.contentsOfDirectory(atPath: dir + "/reports/" + runs[0]) {
            let text = (try? String(contentsOfFile: dir + "/reports/" + runs[0] + "/" + name, encoding: .utf8)) ?? ""
            #expect(!text.contains("T0KEN"), "\(name)")
        }

        // An unknown key and an undeclared secret: refused before anything, each at its line and column.
        try """
        # the team's configuration
        protected-environments: [production]
        notify:
          - webhook: "${secret.missing}"
            evnets: [ended]

        """.write(toFile: dir + "/bad.yaml", atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: marker)
        let bad = try await ProgramCLI.run(["run", "plan.yaml", "--config", "bad.yaml", "--quiet"], in: dir)
        #expect(bad.status == 4, "\(bad.output)")
        #expect(bad.output.contains("bad.yaml:4:") && bad.output.contains("undefined secret `missing`"), "\(bad.output)")
        #expect(bad.output.contains("bad.yaml:5:5") && bad.output.contains("unknown key `evnets`"), "\(bad.output)")
        #expect(!FileManager.default.fileExists(atPath: marker))
        let missing = try await ProgramCLI.run(["run", "plan.yaml", "--config", "nowhere.yaml", "--quiet"], in: dir)
        #expect(missing.status == 4 && missing.output.contains("nowhere.yaml"), "\(missing.output)")
    }
}
