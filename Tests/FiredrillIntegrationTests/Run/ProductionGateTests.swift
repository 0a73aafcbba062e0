import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// The production gate, run as a user runs it: the built binary, a plan whose method would leave a marker file, and
/// real read-only context calls (a stand-in kubectl first on PATH, the real aws CLI against moto_server).
@Suite(.serialized) struct ProductionGateTests {
    /// A plan whose only step creates `marker`: the marker's absence proves nothing was injected.
    static func plan(environment: String, marker: String, vars: String = "") -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: gate-check
        title: the production gate decides before anything runs
        environment: \(environment)
        \(vars)
        method:
          - name: leave-marker
            command: [touch, "\(marker)"]

        """
    }

    struct Outcome {
        var status: Int32?
        var output: String
        var injected: Bool
        var runDirectory: String
    }

    /// Runs `firedrill run` on `yaml` in a fresh directory, with `environment` on top of the test's own.
    static func run(_ yaml: (String) -> String, arguments: [String] = [], environment: [String: String] = [:],
                    config: String? = nil) async throws -> Outcome {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "gate")
        let marker = dir + "/injected"
        try yaml(marker).write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        if let config { try config.write(toFile: dir + "/firedrill.yaml", atomically: true, encoding: .utf8) }
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: ProductionGate.listVariable)
        env.removeValue(forKey: ProductionGate.configVariable)
        for (k, v) in environment { env[k] = v }
        let runDir = dir + "/run"
        let child = try ChildProcess([binary, "run", dir + "/plan.yaml", "--report-dir", runDir, "--quiet"] + arguments, environment: env)
        let status = await child.wait(timeout: .seconds(60))
        return Outcome(status: status, output: child.readOutput(), injected: FileManager.default.fileExists(atPath: marker), runDirectory: runDir)
    }

    static func startedEvent(_ runDirectory: String) throws -> JournalEvent? {
        try JournalReader.read(at: URL(fileURLWithPath: runDirectory + "/journal.jsonl")).events.first { $0.type == "run.started" }
    }

    @Test(arguments: ["production", "prod", "PRD", "live", "Production-EU", "eu-prod", "\"production \"", "\"  Prod\""])
    func protectedNamesAreRefusedWithoutTheFlag(name: String) async throws {
        let outcome = try await Self.run { Self.plan(environment: name, marker: $0) }
        #expect(outcome.status == 4, "\(outcome.output)")
        #expect(outcome.output.contains("--allow-production"), "\(outcome.output)")
        #expect(!outcome.injected)
        #expect(!FileManager.default.fileExists(atPath: outcome.runDirectory + "/journal.jsonl"))
    }

    @Test func aVarNamingProductionIsRefused() async throws {
        let outcome = try await Self.run({ Self.plan(environment: "\"${env}\"", marker: $0, vars: "vars: { env: staging }") },
                                         arguments: ["--var", "env=production"])
        #expect(outcome.status == 4, "\(outcome.output)")
        #expect(outcome.output.contains("environment `production` is protected"), "\(outcome.output)")
        #expect(!outcome.injected)
    }

    @Test func anEnvironmentVariableReferenceIsResolvedBeforeTheGate() async throws {
        let outcome = try await Self.run({ Self.plan(environment: "\"${env.DEPLOY_TARGET}\"", marker: $0) },
                                         environment: ["DEPLOY_TARGET": "live-eu"])
        #expect(outcome.status == 4, "\(outcome.output)")
        #expect(outcome.output.contains("`live-eu` is protected"), "\(outcome.output)")
        #expect(!outcome.injected)
    }

    @Test func namesThatOnlyContainAPatternInsideAWordRun() async throws {
        let outcome = try await Self.run { Self.plan(environment: "prodigy-staging", marker: $0) }
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.injected)
    }

    @Test func theFlagIsJournaledWithTheOperatorAndTheResolvedName() async throws {
        let outcome = try await Self.run({ Self.plan(environment: "\"${env}\"", marker: $0, vars: "vars: { env: staging }") },
                                         arguments: ["--var", "env=production", "--allow-production"])
        #expect(outcome.status == 0, "\(outcome.output)")
        #expect(outcome.injected)
        let started = try #require(try Self.startedEvent(outcome.runDirectory))
        #expect(started.data["environment"] == "production")
        #expect(started.data["allow-production"] == .bool(true))
        #expect(started.data["allowed-by"]?.stringValue == RunSession.initiator())
        for report in ["report.md", "report.html"] {
            let text = try String(contentsOfFile: outcome.runDirectory + "/" + report, encoding: .utf8)
            #expect(text.contains("allow-production"), "\(report) does not record the flag")
            #expect(text.contains(RunSession.initiator()), "\(report) does not name the operator")
        }
        let json = try JSONValue.parse(try String(contentsOfFile: outcome.runDirectory + "/report.json", encoding: .utf8))
        #expect(json["productionAllowedBy"]?.stringValue == RunSession.initiator())
        let junit = try String(contentsOfFile: outcome.runDirectory + "/junit.xml", encoding: .utf8)
        #expect(junit.contains("name=\"allow-production\""))
    }

    @Test func aConfigFileBesideThePlanSetsTheList() async throws {
        let config = "protected-environments: [pci-cardholder]\n"
        let refused = try await Self.run({ Self.plan(environment: "PCI-Cardholder", marker: $0) }, config: config)
        #expect(refused.status == 4, "\(refused.output)")
        #expect(refused.output.contains("firedrill.yaml"), "\(refused.output)")
        #expect(!refused.injected)
        let fromVariable = try await Self.run({ Self.plan(environment: "qa-blue", marker: $0) },
                                              environment: [ProductionGate.listVariable: "uat, qa"])
        #expect(fromVariable.status == 4, "\(fromVariable.output)")
        #expect(!fromVariable.injected)
    }

    @Test func aKubeContextMismatchIsRefusedBeforeInjection() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(["kubectl", "config", "current-context"], stdout: "prod-eu\n")
        let binding = "{ name: staging, kube-context: staging-eu }"
        let refused = try await Self.run({ Self.plan(environment: binding, marker: $0) }, environment: kubectl.environment)
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("kube-context is prod-eu, but the plan is bound to staging-eu"), "\(refused.output)")
        #expect(!refused.injected)
        #expect(try kubectl.calls() == [["kubectl", "config", "current-context"]])

        try kubectl.respond(["kubectl", "config", "current-context"], stdout: "staging-eu\n")
        let admitted = try await Self.run({ Self.plan(environment: binding, marker: $0) }, environment: kubectl.environment)
        #expect(admitted.status == 0, "\(admitted.output)")
        #expect(admitted.injected)
        let events = try JournalReader.read(at: URL(fileURLWithPath: admitted.runDirectory + "/journal.jsonl")).events
        let checked = try #require(events.first { $0.type == "environment.checked" })
        #expect(checked.data["what"] == "kube-context")
        #expect(checked.data["found"] == "staging-eu")
        #expect(checked.data["matches"] == .bool(true))
        let firstStep = try #require(events.firstIndex { $0.type.hasPrefix("step.") })
        #expect(try #require(events.firstIndex { $0.type == "environment.checked" }) < firstStep)
    }

    @Test func anAWSAccountIsCheckedAgainstMoto() async throws {
        let moto = try MotoFixture()
        defer { moto.stop() }
        var environment = moto.environment
        environment["AWS_ENDPOINT_URL"] = moto.endpoint
        let wrong = try await Self.run({ Self.plan(environment: "{ name: staging, aws-account: \"000000000000\" }", marker: $0) },
                                       environment: environment)
        #expect(wrong.status == 1, "\(wrong.output)")
        #expect(wrong.output.contains("aws-account is 123456789012, but the plan is bound to 000000000000"), "\(wrong.output)")
        #expect(!wrong.injected)
        let right = try await Self.run({ Self.plan(environment: "{ name: staging, aws-account: \"123456789012\" }", marker: $0) },
                                       environment: environment)
        #expect(right.status == 0, "\(right.output)")
        #expect(right.injected)
    }

    @Test func planShowsTheBinding() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "gate-plan")
        try Self.plan(environment: "{ name: staging, kube-context: staging-eu, aws-account: \"123456789012\" }", marker: dir + "/m")
            .write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let child = try ChildProcess([binary, "plan", dir + "/plan.yaml", "--offline"])
        #expect(await child.wait(timeout: .seconds(30)) == 0)
        let output = child.readOutput()
        #expect(output.contains("environment: staging"), "\(output)")
        #expect(output.contains("bound to: kube-context staging-eu, aws-account 123456789012"), "\(output)")
    }

    @Test(arguments: ["run", "check", "plan"])
    func anUnknownVarIsAnError(command: String) async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "unknown-var")
        try Self.plan(environment: "staging", marker: dir + "/injected", vars: "vars: { namespace: geo }")
            .write(toFile: dir + "/plan.yaml", atomically: true, encoding: .utf8)
        let child = try ChildProcess([binary, command, dir + "/plan.yaml", "--var", "namepsace=prod-geo"])
        #expect(await child.wait(timeout: .seconds(30)) == 4)
        let output = child.readOutput()
        #expect(output.contains("`--var namepsace=…` names no var of this plan"), "\(output)")
        #expect(output.contains("did you mean `namespace`?"), "\(output)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/injected"))
    }
}
