import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// The auditor record, run as a user runs it (the built binary): the operator, the effective parameters with each
/// `--var` override marked, the versions of the tools the plan uses (a stand-in kubectl first on PATH), the plan's git
/// commit from a real repository, and the runbook link — in the journal and in report.json, report.md and report.html.
@Suite(.serialized) struct RunRecordTests {
    struct Outcome {
        var status: Int32?
        var output: String
        var runDirectory: String
        var json: JSONValue
        var markdown: String
        var html: String

        var record: JSONValue? { json["record"] }
    }

    static func commandPlan(name: String = "record-check", vars: String = "", extra: String = "") -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: \(name)
        title: the run record holds what an auditor asks first
        environment: staging
        runbook: https://wiki.example.com/runbooks/record-check
        \(vars)
        \(extra)
        method:
          - name: say-target
            command: [echo, "${target}"]

        """
    }

    /// Runs `firedrill run` on the plan at `planPath` with `arguments`, the test's environment minus
    /// `FIREDRILL_OPERATOR`, plus `environment`.
    static func run(planPath: String, arguments: [String] = [], environment: [String: String] = [:]) async throws -> Outcome {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "record-run")
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: RunOperator.environmentVariable)
        for (k, v) in environment { env[k] = v }
        let runDir = dir + "/run"
        let child = try ChildProcess([binary, "run", planPath, "--report-dir", runDir, "--reports", dir + "/reports"] + arguments, environment: env)
        let status = await child.wait(timeout: .seconds(90))
        let output = child.readOutput()
        func read(_ name: String) -> String { (try? String(contentsOfFile: runDir + "/" + name, encoding: .utf8)) ?? "" }
        let json = (try? JSONValue.parse(read("report.json"))) ?? .null
        return Outcome(status: status, output: output, runDirectory: runDir, json: json, markdown: read("report.md"), html: read("report.html"))
    }

    static func write(_ yaml: String) throws -> String {
        let dir = try TempDirectory.make(prefix: "record-plan")
        try yaml.write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        return dir + "/plan.yaml"
    }

    static func parameter(_ outcome: Outcome, _ name: String) -> JSONValue? {
        outcome.record?["parameters"]?.arrayValue?.first { $0["name"]?.stringValue == name }
    }

    @Test func varOverridesAreMarkedBesideThePlansValueAndSecretsStayMasked() async throws {
        let canary = "rec0rd-canary-\(UUID().uuidString.prefix(8))"
        let plan = try Self.write(Self.commandPlan(
            vars: "vars: { target: prod-db.example.com, port: \"5432\", dsn: \"postgres://app:${secret.pw}@prod-db.example.com/app\" }",
            extra: "secrets: { pw: { env: RECORD_CHECK_PW } }"))
        let outcome = try await Self.run(planPath: plan, arguments: ["--var", "target=localhost", "--var", "dsn=postgres://app:\(canary)@localhost/app"],
                                         environment: ["RECORD_CHECK_PW": canary])
        #expect(outcome.status == 0, "\(outcome.output)")
        let record = try #require(outcome.record, "\(outcome.json)")
        #expect(record["recorded"] == .bool(true))
        let target = try #require(Self.parameter(outcome, "target"))
        #expect(target["value"] == "localhost" && target["planValue"] == "prod-db.example.com" && target["overridden"] == .bool(true))
        let port = try #require(Self.parameter(outcome, "port"))
        #expect(port["value"] == "5432" && port["overridden"] == .bool(false))
        let dsn = try #require(Self.parameter(outcome, "dsn"))
        #expect(dsn["value"] == "postgres://app:***@localhost/app", "\(dsn)")
        #expect(dsn["planValue"] == "postgres://app:${secret.pw}@prod-db.example.com/app", "\(dsn)")

        #expect(outcome.markdown.contains("**2 vars were overridden with `--var`.**"), "\(outcome.markdown)")
        #expect(outcome.markdown.contains("| target | localhost | prod-db.example.com | **overridden by --var** |"), "\(outcome.markdown)")
        #expect(outcome.markdown.contains("| port | 5432 | 5432 | plan |"), "\(outcome.markdown)")
        #expect(outcome.html.contains("<tr id=\"var-target\" class=\"overridden\"><td><code>target</code></td><td><code>localhost</code></td><td><code>prod-db.example.com</code></td>"), "\(outcome.html)")
        #expect(outcome.html.contains("<strong id=\"override-count\">2 vars were overridden"))
        #expect(outcome.output.contains("overrides: target=localhost (plan: prod-db.example.com)"), "\(outcome.output)")

        // The runbook is linked from every report.
        #expect(record["runbook"] == "https://wiki.example.com/runbooks/record-check")
        #expect(outcome.markdown.contains("| Runbook | [https://wiki.example.com/runbooks/record-check](https://wiki.example.com/runbooks/record-check) |"))
        #expect(outcome.html.contains("<a id=\"runbook\" href=\"https://wiki.example.com/runbooks/record-check\""))
        // Firedrill's own version is in the record.
        #expect(record["firedrill"]?.stringValue?.hasPrefix(FiredrillBuild.version + " (Swift ") == true, "\(record)")

        // The secret never reaches the journal, the reports or the console. (`run.json` keeps the `--var` values as
        // given: `recover` reloads the plan with them.)
        #expect(!outcome.output.contains(canary))
        for name in try FileManager.default.contentsOfDirectory(atPath: outcome.runDirectory) where name != "run.json" {
            let data = FileManager.default.contents(atPath: outcome.runDirectory + "/" + name) ?? Data()
            #expect(!String(decoding: data, as: UTF8.self).contains(canary), "\(name) holds the secret")
        }
    }

    @Test func theOperatorComesFromTheFlagThenTheEnvironmentAndTheOSUserIsAlwaysThere() async throws {
        let plan = try Self.write(Self.commandPlan(vars: "vars: { target: x }"))
        let osUser = RunOperator.current(flag: nil, environment: [:]).osUser
        let uid = Int(geteuid())

        let flagged = try await Self.run(planPath: plan, arguments: ["--operator", "Ada Lovelace"],
                                         environment: [RunOperator.environmentVariable: "Someone Else"])
        #expect(flagged.status == 0, "\(flagged.output)")
        #expect(flagged.record?["operatorName"] == "Ada Lovelace")
        #expect(flagged.record?["operatorSource"] == "--operator")
        #expect(flagged.record?["osUser"]?.stringValue == osUser && flagged.record?["uid"]?.intValue == uid)
        #expect(flagged.record?["host"]?.stringValue == ProcessInfo.processInfo.hostName)
        #expect(flagged.markdown.contains("| Operator | Ada Lovelace (--operator); OS user \(osUser) (uid \(uid)) on"), "\(flagged.markdown)")
        #expect(flagged.html.contains("<span id=\"operator\">Ada Lovelace (--operator); OS user \(osUser)"))

        let fromEnvironment = try await Self.run(planPath: plan, environment: [RunOperator.environmentVariable: "Grace Hopper"])
        #expect(fromEnvironment.record?["operatorName"] == "Grace Hopper")
        #expect(fromEnvironment.record?["operatorSource"] == .string(RunOperator.environmentVariable))
        #expect(fromEnvironment.markdown.contains("Grace Hopper (FIREDRILL\\_OPERATOR)"), "\(fromEnvironment.markdown)")
        #expect(fromEnvironment.html.contains("Grace Hopper (FIREDRILL_OPERATOR)"))

        // A blank --operator is a mistake (an unset shell variable), not an anonymous run.
        let blank = try await Self.run(planPath: plan, arguments: ["--operator", "  "])
        #expect(blank.status == 64 && blank.output.contains("--operator needs a name"), "\(blank.output)")
        #expect(!FileManager.default.fileExists(atPath: blank.runDirectory + "/journal.jsonl"))

        let anonymous = try await Self.run(planPath: plan)
        #expect(anonymous.record?["operatorName"] == nil)
        #expect(anonymous.markdown.contains("| Operator | operator not given; OS user \(osUser) (uid \(uid))"), "\(anonymous.markdown)")
        #expect(anonymous.output.contains("operator: operator not given; OS user \(osUser)"), "\(anonymous.output)")
    }

    @Test func theGitCommitIsRecordedOnlyForATrackedUnmodifiedPlan() async throws {
        let repo = try TempDirectory.make(prefix: "record-repo")
        defer { try? FileManager.default.removeItem(atPath: repo) }
        let plan = repo + "/plan.yaml"
        try Self.commandPlan(vars: "vars: { target: x }").write(toFile: plan, atomically: true, encoding: .utf8)
        for args in [["init", "-q"], ["add", "plan.yaml"], ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "plan"]] {
            let git = try ChildProcess(["git", "-C", repo] + args)
            #expect(await git.wait(timeout: .seconds(30)) == 0, "git \(args): \(git.readOutput())")
        }
        let revParse = try ChildProcess(["git", "-C", repo, "rev-parse", "HEAD"])
        #expect(await revParse.wait(timeout: .seconds(30)) == 0)
        let head = revParse.readOutput().trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(head.count == 40, "\(head)")

        let committed = try await Self.run(planPath: plan)
        #expect(committed.status == 0, "\(committed.output)")
        #expect(committed.json["gitCommit"]?.stringValue == head)
        #expect(committed.record?["planSource"] == "committed")
        #expect(committed.markdown.contains("git commit \(head)"), "\(committed.markdown)")
        #expect(committed.html.contains("<span id=\"plan-source\">git commit \(head)</span>"))

        try (Self.commandPlan(vars: "vars: { target: x }") + "# edited after the commit\n").write(toFile: plan, atomically: true, encoding: .utf8)
        let edited = try await Self.run(planPath: plan)
        #expect(edited.status == 0, "\(edited.output)")
        #expect(edited.json["gitCommit"] == nil, "\(edited.json["gitCommit"] ?? .null)")
        #expect(edited.record?["planSource"] == "modified")
        #expect(!edited.markdown.contains(head))
        #expect(edited.markdown.contains("no git commit: the file differs from the repository's HEAD"))
        let started = try JournalReader.read(at: URL(fileURLWithPath: edited.runDirectory + "/journal.jsonl")).events.first { $0.is(.runStarted) }
        #expect(started?.data["git-commit"] == .null)
    }

    @Test func onlyTheToolsThePlanUsesAreAskedForTheirVersion() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(["kubectl", "version", "--client"], stdout: "Client Version: v1.31.2-standin\nKustomize Version: v5.4.2\n")

        let commandOnly = try await Self.run(planPath: try Self.write(Self.commandPlan(vars: "vars: { target: x }")), environment: kubectl.environment)
        #expect(commandOnly.status == 0, "\(commandOnly.output)")
        #expect(try kubectl.calls().isEmpty, "a plan without kubernetes steps asked kubectl")
        #expect(commandOnly.record?["tools"] == .array([]))
        #expect(commandOnly.markdown.contains("| External tools | none used by the plan |"))

        let kubernetesPlan = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: record-kubectl
        title: a kubernetes plan records kubectl's version
        environment: staging
        method:
          - name: restart-api
            kubernetes.rollout-restart: { deployment: api, namespace: shop }

        """
        let outcome = try await Self.run(planPath: try Self.write(kubernetesPlan), environment: kubectl.environment)
        // The stand-in refuses the restart itself (it was told only the version): the record is written regardless.
        #expect(outcome.status != nil, "\(outcome.output)")
        let calls = try kubectl.calls()
        #expect(calls.filter { $0 == ["kubectl", "version", "--client"] }.count == 1, "\(calls)")
        let tools = try #require(outcome.record?["tools"]?.arrayValue, "\(outcome.json)")
        #expect(tools.count == 1)
        #expect(tools.first?["tool"] == "kubectl" && tools.first?["status"] == "read")
        #expect(tools.first?["version"] == "Client Version: v1.31.2-standin; Kustomize Version: v5.4.2", "\(tools)")
        #expect(outcome.markdown.contains("| kubectl | Client Version: v1.31.2-standin; Kustomize Version: v5.4.2 (`kubectl version --client`) |"), "\(outcome.markdown)")
        #expect(outcome.html.contains("<span id=\"tool-kubectl\">Client Version: v1.31.2-standin; Kustomize Version: v5.4.2</span>"))
    }

    @Test func theEnvironmentBindingCheckIsInEveryReport() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(["kubectl", "config", "current-context"], stdout: "staging-eu\n")
        try kubectl.respond(["kubectl", "version", "--client"], stdout: "Client Version: v1.30.0-standin\n")
        let plan = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: record-binding
        title: the binding check is in the record
        environment: { name: staging, kube-context: staging-eu }
        method:
          - name: noop
            command: [true]

        """
        let outcome = try await Self.run(planPath: try Self.write(plan), environment: kubectl.environment)
        #expect(outcome.status == 0, "\(outcome.output)")
        let checks = try #require(outcome.record?["bindingChecks"]?.arrayValue, "\(outcome.json)")
        #expect(checks.count == 1 && checks.first?["what"] == "kube-context" && checks.first?["matches"] == .bool(true))
        #expect(outcome.record?["binding"] == "kube-context staging-eu")
        #expect(outcome.markdown.contains("| Environment | staging — kube-context is staging-eu, as bound |"), "\(outcome.markdown)")
        #expect(outcome.html.contains("<span id=\"binding\">kube-context is staging-eu, as bound</span>"))
        // The binding needs kubectl, so its version is recorded too.
        #expect(outcome.record?["tools"]?.arrayValue?.first?["version"] == "Client Version: v1.30.0-standin")
    }

    @Test func theDryRunShowsOverridesAndTheRunbook() async throws {
        let plan = try Self.write(Self.commandPlan(vars: "vars: { target: prod-db.example.com, port: \"5432\" }"))
        let child = try ChildProcess([try FiredrillBinary.path(), "plan", plan, "--offline", "--var", "target=localhost"])
        #expect(await child.wait(timeout: .seconds(30)) == 0)
        let output = child.readOutput()
        #expect(output.contains("vars: target=localhost (--var; the plan says prod-db.example.com) port=5432\n"), "\(output)")
        #expect(output.contains("runbook: https://wiki.example.com/runbooks/record-check"), "\(output)")
    }
}
