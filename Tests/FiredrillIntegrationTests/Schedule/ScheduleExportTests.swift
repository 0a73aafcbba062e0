import FiredrillCore
import FiredrillStore
import FiredrillTestSupport
import Foundation
import Testing

/// `firedrill schedule export`: systemd units checked by `systemd-analyze verify` and fired when the cron says
/// (`systemd-analyze calendar`), Kubernetes manifests checked against the Kubernetes schemas by
/// `kubernetes-validate`. A missing tool fails the test.
@Suite(.serialized) struct ScheduleExportTests {
    /// Runs a tool (argv, no shell) and returns its exit status and output; fails when it is not installed.
    static func tool(_ argv: [String], environment: [String: String]? = nil) async throws -> (status: Int32, output: String) {
        let child = try ChildProcess(argv, environment: environment)
        guard let status = await child.wait(timeout: .seconds(120)) else {
            child.signal(SIGKILL)
            Issue.record("\(argv[0]) did not exit within 2 minutes")
            return (-1, child.readOutput())
        }
        return (status, child.readOutput())
    }

    static func writePlans(_ dir: String) throws {
        let plans = dir + "/plans"
        try FileManager.default.createDirectory(atPath: plans, withIntermediateDirectories: true)
        // 03:00 on the 1st or on Mondays (cron's either-day rule), in Berlin.
        try ProgramCLI.plan(name: "db-restore", marker: "/tmp/unused", schedule: "{ cron: \"0 3 1 * mon\", timezone: Europe/Berlin }")
            .write(toFile: plans + "/db-restore.yaml", atomically: true, encoding: .utf8)
        // Every 15 minutes in office hours on weekdays, in New York.
        try ProgramCLI.plan(name: "pod-kill", marker: "/tmp/unused", schedule: "{ cron: \"*/15 9-17 * * mon-fri\", timezone: America/New_York }",
                            extra: "  - name: kill\n    kubernetes.pod-delete: { namespace: shop, selector: app=api, count: 1 }\n")
            .write(toFile: plans + "/pod-kill.yaml", atomically: true, encoding: .utf8)
        try ProgramCLI.plan(name: "node-drain", marker: "/tmp/unused", schedule: "{ cron: \"@monthly\", timezone: Asia/Kolkata }",
                            extra: "  - name: drain\n    kubernetes.drain: { selector: pool=batch }\n")
            .write(toFile: plans + "/node-drain.yaml", atomically: true, encoding: .utf8)
        // 02:30 does not exist in Berlin on the last Sunday of March.
        try ProgramCLI.plan(name: "nightly", marker: "/tmp/unused", schedule: "{ cron: \"30 2 * * *\", timezone: Europe/Berlin }")
            .write(toFile: plans + "/nightly.yaml", atomically: true, encoding: .utf8)
        try ProgramCLI.plan(name: "by-hand", marker: "/tmp/unused").write(toFile: plans + "/by-hand.yaml", atomically: true, encoding: .utf8)
    }

    @Test func systemdUnitsVerifyAndTheirTimersFireWhenTheCronSays() async throws {
        let dir = try TempDirectory.make(prefix: "export-systemd")
        try Self.writePlans(dir)
        let binary = try FiredrillBinary.path()
        let export = try await ProgramCLI.run(["schedule", "export", "plans", "--systemd", "units", "--binary", binary], in: dir)
        #expect(export.status == 0, "\(export.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/units").sorted()
        #expect(files == ["db-restore", "nightly", "node-drain", "pod-kill"].flatMap { ["firedrill-\($0).service", "firedrill-\($0).timer"] })
        #expect(export.output.contains("warning: nightly") && export.output.contains("daylight-saving gap"))

        let verify = try await Self.tool(["systemd-analyze", "verify"] + files.map { dir + "/units/" + $0 })
        #expect(verify.status == 0, "\(verify.output)")

        for plan in ["db-restore", "pod-kill", "node-drain", "nightly"] {
            let timer = try String(contentsOfFile: dir + "/units/firedrill-\(plan).timer", encoding: .utf8)
            #expect(timer.contains("Persistent=true"))
            let calendars = timer.split(separator: "\n").filter { $0.hasPrefix("OnCalendar=") }.map { String($0.dropFirst("OnCalendar=".count)) }
            try #require(!calendars.isEmpty)
            let loaded = try #require(PlanLoader.load(path: dir + "/plans/\(plan).yaml", catalog: TestCatalog.builtin).plan?.schedule)
            let cron = try CronExpression.parse(loaded.cron)
            let zone = try #require(TimeZone(identifier: loaded.timezone))
            // From a week before the spring-forward change in Europe and the US.
            let base = Date(timeIntervalSince1970: RunRecord.epoch("2026-03-04T12:00:00Z") ?? 0)
            var systemd: [String] = []
            for calendar in calendars {
                let out = try await Self.tool(["systemd-analyze", "calendar", "--base-time=2026-03-04 12:00:00 UTC", "--iterations=40", calendar],
                                              environment: ["TZ": "UTC", "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
                #expect(out.status == 0, "\(out.output)")
                systemd += out.output.split(separator: "\n").compactMap { line in
                    guard line.contains("Next elapse:") || line.contains("Iter. #") else { return nil }
                    // "Iter. #2: Mon 2026-03-30 00:30:00 UTC" → "2026-03-30 00:30"
                    let parts = line.split(separator: " ")
                    return parts.count >= 4 ? "\(parts[parts.count - 3]) \(parts[parts.count - 2].prefix(5))" : nil
                }
            }
            systemd = Array(Set(systemd)).sorted()
            var fromCron: [String] = []
            var cursor = base
            for _ in 0..<40 {
                guard let next = cron.next(after: cursor, in: zone) else { break }
                let text = RunRecord.rfc3339(next)
                fromCron.append(text.prefix(10) + " " + text.dropFirst(11).prefix(5))
                cursor = next
            }
            let compared = min(systemd.count, fromCron.count, 40)
            if plan == "nightly" {
                // systemd skips the day whose 02:30 does not exist; cron runs it at the jump (01:00 UTC).
                #expect(fromCron.contains("2026-03-29 01:00") && !systemd.contains("2026-03-29 01:00"))
                #expect(Array(systemd.prefix(compared - 1)) == Array(fromCron.filter { $0 != "2026-03-29 01:00" }.prefix(compared - 1)))
                #expect(timer.contains("# WARNING: on 2026-") || timer.contains("# WARNING: on 2027-"))
            } else {
                #expect(compared >= 10)
                #expect(Array(systemd.prefix(compared)) == Array(fromCron.prefix(compared)), "\(plan)")
            }
        }
        let service = try String(contentsOfFile: dir + "/units/firedrill-db-restore.service", encoding: .utf8)
        #expect(service.contains("ExecStart=\(binary) run \(dir)/plans/db-restore.yaml --quiet"))
        #expect(service.contains("Type=oneshot"))
        #expect(service.contains("Environment=\"FIREDRILL_OPERATOR=systemd timer firedrill-db-restore.timer\""))
    }

    @Test func kubernetesManifestsPassTheKubernetesSchemasWithLeastPrivilege() async throws {
        let dir = try TempDirectory.make(prefix: "export-kubernetes")
        try Self.writePlans(dir)
        let export = try await ProgramCLI.run(["schedule", "export", "plans", "--kubernetes", "k8s", "--namespace", "drills",
                                               "--image", "registry.example.com/firedrill:0.1.0", "--store-secret", "drill-store"], in: dir)
        #expect(export.status == 0, "\(export.output)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/k8s").sorted()
        #expect(files == ["firedrill-db-restore.yaml", "firedrill-nightly.yaml", "firedrill-node-drain.yaml", "firedrill-plans.configmap.yaml", "firedrill-pod-kill.yaml"])

        let validate = try await Self.tool(["kubernetes-validate", "--strict", "--kubernetes-version", "1.31.0"] + files.map { dir + "/k8s/" + $0 })
        #expect(validate.status == 0, "\(validate.output)")
        #expect(validate.output.contains("passed for resource cronjob/firedrill-pod-kill"))
        #expect(validate.output.contains("passed for resource clusterrole/firedrill-node-drain"))

        let podKill = try String(contentsOfFile: dir + "/k8s/firedrill-pod-kill.yaml", encoding: .utf8)
        for needle in ["schedule: \"*/15 9-17 * * mon-fri\"", "timeZone: America/New_York", "concurrencyPolicy: Forbid",
                       "startingDeadlineSeconds: 3600", "backoffLimit: 0", "name: drill-store", "key: dsn", "name: FIREDRILL_STORE",
                       "name: FIREDRILL_OPERATOR\n", "value: \"kubernetes cronjob drills/firedrill-pod-kill\"",
                       "kind: Role\n", "- pods\n", "- delete\n", "namespace: drills", "image: \"registry.example.com/firedrill:0.1.0\""] {
            #expect(podKill.contains(needle), "\(needle)")
        }
        #expect(!podKill.contains("ClusterRole") && !podKill.contains("nodes"))
        let drain = try String(contentsOfFile: dir + "/k8s/firedrill-node-drain.yaml", encoding: .utf8)
        #expect(drain.contains("kind: ClusterRole\n") && drain.contains("- pods/eviction") && drain.contains("- nodes"))
        #expect(!drain.contains("- delete"))
        // A plan without Kubernetes drivers gets no API access at all.
        let restore = try String(contentsOfFile: dir + "/k8s/firedrill-db-restore.yaml", encoding: .utf8)
        #expect(restore.contains("automountServiceAccountToken: false") && !restore.contains("Role"))
        // The ConfigMap carries each plan as written, and the plan read back from it is the same plan.
        let configMap = try String(contentsOfFile: dir + "/k8s/firedrill-plans.configmap.yaml", encoding: .utf8)
        #expect(configMap.contains("pod-kill.yaml: |") && configMap.contains("    kubernetes.pod-delete: { namespace: shop, selector: app=api, count: 1 }"))
        #expect(!configMap.contains("by-hand"))
    }

    /// What a plan reads at run time (its secrets' environment variables and files, the configuration beside it, the
    /// signing key) reaches the CronJob's pod from Secrets, and whatever would not reach it is named at export.
    @Test func kubernetesPodsGetTheEnvironmentConfigurationAndSigningKeyThePlansNeed() async throws {
        let dir = try TempDirectory.make(prefix: "export-kubernetes-secrets")
        let plans = dir + "/plans"
        try FileManager.default.createDirectory(atPath: plans, withIntermediateDirectories: true)
        try """
            apiVersion: firedrill/v1
            kind: Experiment
            name: announced
            title: an announced drill
            environment: test
            schedule: { cron: "0 4 * * *", timezone: UTC }
            secrets:
              hook: { env: SLACK_DRILLS_WEBHOOK }
              token: { file: /run/secrets/api-token }
            notify:
              - slack: "${secret.hook}"
            steady-state:
              - name: alive
                command: [true, "${secret.token}"]
            method:
              - name: touch
                command: [true]

            """.write(toFile: plans + "/announced.yaml", atomically: true, encoding: .utf8)
        // The team's configuration beside the plan: not a plan, and read by the run.
        try "secrets:\n  team: { env: TEAM_WEBHOOK }\nnotify:\n  - webhook: \"${secret.team}\"\n"
            .write(toFile: plans + "/firedrill.yaml", atomically: true, encoding: .utf8)

        let bare = try await ProgramCLI.run(["schedule", "export", "plans", "--kubernetes", "bare"], in: dir)
        #expect(bare.status == 0, "\(bare.output)")
        for needle in ["warning: announced: the secret `hook` (plans/announced.yaml:8:3) reads $SLACK_DRILLS_WEBHOOK",
                       "warning: announced: the secret `team` (plans/firedrill.yaml:2:3) reads $TEAM_WEBHOOK",
                       "--env-secret NAME",
                       "warning: announced: the secret `token` (plans/announced.yaml:9:3) reads the file /run/secrets/api-token, which the export does not mount",
                       "warning: announced: plans/firedrill.yaml applies to this plan", "--config-secret NAME"] {
            #expect(bare.output.contains(needle), "\(needle) in \(bare.output)")
        }

        let full = try await ProgramCLI.run(["schedule", "export", "plans", "--kubernetes", "k8s", "--env-secret", "drill-env", "--env-secret", "team-env",
                                             "--config-secret", "drill-config", "--signing-key-secret", "drill-signing"], in: dir)
        #expect(full.status == 0, "\(full.output)")
        // Only the file secret is still the user's to mount.
        #expect(!full.output.contains("$SLACK_DRILLS_WEBHOOK") && !full.output.contains("--config-secret"), "\(full.output)")
        #expect(full.output.contains("reads the file /run/secrets/api-token"))
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/k8s").sorted()
        #expect(files == ["firedrill-announced.yaml", "firedrill-plans.configmap.yaml"])
        let validate = try await Self.tool(["kubernetes-validate", "--strict", "--kubernetes-version", "1.31.0"] + files.map { dir + "/k8s/" + $0 })
        #expect(validate.status == 0, "\(validate.output)")
        #expect(validate.output.contains("passed for resource cronjob/firedrill-announced"))
        let job = try String(contentsOfFile: dir + "/k8s/firedrill-announced.yaml", encoding: .utf8)
        for needle in ["envFrom:\n", "- secretRef:\n", "name: drill-env", "name: team-env",
                       "name: FIREDRILL_CONFIG\n", "value: /etc/firedrill/config/firedrill.yaml", "secretName: drill-config", "key: firedrill.yaml",
                       "name: FIREDRILL_SIGNING_KEY\n", "value: /etc/firedrill/signing/signing.key", "secretName: drill-signing", "key: signing.key",
                       "defaultMode: 256", "mountPath: /etc/firedrill/config", "mountPath: /etc/firedrill/signing"] {
            #expect(job.contains(needle), "\(needle) in \(job)")
        }
        // The configuration is not put in the plans' ConfigMap: its URLs are secrets.
        let configMap = try String(contentsOfFile: dir + "/k8s/firedrill-plans.configmap.yaml", encoding: .utf8)
        #expect(!configMap.contains("TEAM_WEBHOOK") && configMap.contains("announced.yaml: |"))
    }

    @Test func exportNeedsOneTargetAndAScheduledPlan() async throws {
        let dir = try TempDirectory.make(prefix: "export-usage")
        try Self.writePlans(dir)
        let neither = try await ProgramCLI.run(["schedule", "export", "plans"], in: dir)
        #expect(neither.status != 0 && neither.output.contains("give one of --systemd DIR or --kubernetes DIR"))
        let unscheduled = try await ProgramCLI.run(["schedule", "export", "plans/by-hand.yaml", "--systemd", "units"], in: dir)
        #expect(unscheduled.status == 3 && unscheduled.output.contains("no plan with a schedule"))
    }
}
