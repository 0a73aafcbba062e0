import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// `firedrill import chaostoolkit`: experiments written for these tests in Chaos Toolkit's own format, covering each
/// mapped construct and each refusal; the imported plans are loaded by the real plan loader.
@Suite struct ChaosToolkitImporterTests {
    static func fixture(_ name: String) throws -> (path: String, data: Data) {
        let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("chaostoolkit/" + name)
        return (url.path, try Data(contentsOf: url))
    }

    static func importFixture(_ name: String) throws -> (result: ChaosToolkitImport, plan: Plan?, rendered: String) {
        let (path, data) = try fixture(name)
        let result = try ChaosToolkitImporter(path: path).translate(data)
        let loaded = PlanLoader.load(data: Data(result.yaml.utf8), path: "imported.yaml", catalog: TestCatalog.builtin)
        return (result, loaded.plan, loaded.rendered())
    }

    static func translate(_ text: String) -> Result<ChaosToolkitImport, ChaosToolkitImporter.Invalid> {
        Result { () throws(ChaosToolkitImporter.Invalid) in try ChaosToolkitImporter(path: "exp.json").translate(Data(text.utf8)) }
    }

    @Test func aPodKillExperimentBecomesAValidPlan() throws {
        let (result, plan, rendered) = try Self.importFixture("pod-kill.json")
        let p = try #require(plan, "the imported plan must validate:\n\(rendered)\n\(result.yaml)")
        #expect(result.unmapped.isEmpty)
        #expect(result.exitCode == 0)
        #expect(p.name == "do-we-remain-available-in-face-of-a-pod-going-down")
        #expect(p.title == "Do we remain available in face of a pod going down?")
        #expect(p.tags == ["kubernetes", "pods"])
        #expect(p.description?.contains("Contributions: availability: high") == true)
        #expect(p.vars.first { $0.name == "base_url" }?.value == "http://127.0.0.1:8080")
        #expect(p.steadyState.map(\.name) == ["api-health", "status-ok", "disk-ok"])
        #expect(p.guards.map(\.name) == ["api-must-answer"])
        #expect(p.guards.first?.every == .seconds(2))
        #expect(p.steadyState.first?.timeout == .seconds(5), "an http timeout of [2, 3] is 5 s in all")
        // The string of arguments is split as a shell would, the quoted word kept whole.
        #expect(result.yaml.contains(#"command: [test, -d, "/var/lib/app data"]"#), "\(result.yaml)")
        #expect(result.yaml.contains(#"json: { "$.status": healthy }"#))
        #expect(result.yaml.contains("expect: { status: 200 }"))
        // terminate_pods → kubernetes.pod-delete with the namespace read from the environment, as configured.
        #expect(result.yaml.contains(#"namespace: "${env.APP_NAMESPACE}""#))
        #expect(result.yaml.contains("selector: \"app=api\""))
        #expect(result.yaml.contains("count: 1"))
        #expect(result.yaml.contains("mode: random"))
        #expect(result.yaml.contains("grace: 0s"))
        #expect(p.method.map(\.name) == ["terminate-api-pod", "pause-after-terminate-api-pod", "api-health-2"], "pauses.after becomes a wait; a ref is resolved")
        #expect(p.rollbacks.map(\.name) == ["scale-back"])
        #expect(result.yaml.contains("kubernetes.scale: { namespace: \"${env.APP_NAMESPACE}\", deployment: api, replicas: 3 }"))
        #expect(result.yaml.contains("k8s-token: { env: KUBE_TOKEN }"))
    }

    @Test func cloudActionsBackgroundAndPausesMap() throws {
        let (result, plan, rendered) = try Self.importFixture("cloud.yaml")
        #expect(plan != nil, "\(rendered)\n\(result.yaml)")
        #expect(result.unmapped.isEmpty, "\(result.unmapped)")
        let yaml = result.yaml
        #expect(yaml.contains("parallel:"), "a background activity runs together with the next one")
        #expect(yaml.contains(#"aws.ec2.stop-instances: { region: "${aws_region}", tags: { role: web }, mode: all, force: true }"#), "\(yaml)")
        #expect(yaml.contains("ids: [i-1, i-2]"))
        #expect(yaml.contains("- name: pause-before-stop-a-task\n    wait: 1500ms\n  - name: stop-a-task"), "pauses.before of 1.5 becomes a wait before the step: \(yaml)")
        #expect(yaml.contains(#"aws.ecs.stop-task: { region: "${aws_region}", cluster: "${cluster}", service: api }"#), "\(yaml)")
        #expect(yaml.contains(#"aws.rds.failover-db-cluster: { region: "${aws_region}", cluster: orders, target-instance: orders-2 }"#))
        #expect(yaml.contains(#"aws.rds.reboot-db-instance: { region: "${aws_region}", instance: billing, force-failover: true }"#))
        #expect(yaml.contains("kubernetes.rollout-restart: { namespace: shop, deployment: api }"))
        #expect(yaml.contains("percent: 50%"))
        #expect(yaml.contains(#"stdout: "/^ready/""#))
        #expect(yaml.contains(#"status: "between 200 and 299""#))
        #expect(yaml.contains(#"body: "{\"check\":\"deep\"}""#), "a JSON body is sent as JSON: \(yaml)")
        #expect(yaml.contains("Content-Type: application/json"))
        // An HTTP action in the method is a curl command, the URL after `--`.
        #expect(yaml.contains("- curl"), "\(yaml)")
        #expect(result.notes.contains { $0.contains("runs as `curl`") })
    }

    @Test func whatCannotBeMappedIsListedAndKeepsValidateFailing() throws {
        let (result, plan, rendered) = try Self.importFixture("unmapped.yaml")
        #expect(plan == nil, "TODOs must keep the plan invalid")
        #expect(rendered.contains("TODO"))
        #expect(result.exitCode == 5)
        let pointers = result.unmapped.map(\.pointer)
        #expect(pointers == ["/configuration/vault_thing", "/steady-state-hypothesis/probes/0", "/controls/0", "/method/0", "/method/1", "/method/2"])
        #expect(result.unmapped[3].why.contains("shell script"))
        #expect(result.unmapped[4].why.contains("`|`"))
        #expect(result.unmapped[5].why.contains("nowhere"))
        #expect(result.yaml.hasPrefix("# Imported from the Chaos Toolkit experiment unmapped.yaml"))
        #expect(result.yaml.contains("# NOT MAPPED (6)"))
        #expect(result.unmapped[1].location.line == 10)
    }

    @Test func malformedExperimentsAreErrorsWithAPointer() {
        let cases: [(String, String)] = [
            ("{\"title\": \"x\"}", "no `method` (at /method)"),
            ("[1, 2]", "JSON object or YAML mapping"),
            ("{\"title\": \"x\", \"method\": [{\"type\": \"acton\", \"name\": \"a\", \"provider\": {\"type\": \"process\", \"path\": \"true\"}}]}",
             "unknown activity type `acton`: expected `action` or `probe` (at /method/0/type)"),
            ("{\"title\": \"x\", \"method\": [{\"type\": \"action\", \"name\": \"a\", \"provider\": {\"type\": \"go\"}}]}",
             "unknown provider type `go`"),
            ("{\"title\": \"x\", \"method\": [{\"type\": \"action\", \"name\": \"a\"}]}", "has no `provider`"),
            ("{\"title\": ", "invalid YAML"),
            ("method: []", "no `title`"),
        ]
        for (text, expected) in cases {
            switch Self.translate(text) {
            case .success(let r): Issue.record("accepted \(text): \(r.yaml)")
            case .failure(let invalid):
                let messages = invalid.diagnostics.map(\.message).joined(separator: "\n")
                #expect(messages.contains(expected), "\(text) → \(messages)")
                #expect(invalid.diagnostics.allSatisfy { $0.location.line >= 1 && $0.location.file == "exp.json" })
            }
        }
    }

    @Test func shellWordsSplitLikeAShellAndRefuseWhatNeedsOne() throws {
        #expect(try ShellWords.split(#"-l "/tmp/a b" 'c d' e\ f"#) == ["-l", "/tmp/a b", "c d", "e f"])
        #expect(try ShellWords.split("  ") == [])
        #expect(try ShellWords.split(#"--name="x y""#) == ["--name=x y"])
        #expect(try ShellWords.split("a''b") == ["ab"])
        for line in ["a | b", "a > f", "a; b", "a && b", "echo $HOME", "ls *.log", "echo `id`", "~/bin/x", "echo \"$X\"", "'open"] {
            #expect(throws: ShellWords.NeedsShell.self, "\(line)") { try ShellWords.split(line) }
        }
    }

    @Test func theEmitterQuotesAnythingYAMLCouldMisread() {
        for s in ["true", "no", "null", "1.5", "-3", "${x}", "a: b", "#x", "x #y", "[a]", "@a", "", " a", "*a", "&a", "!a", "%a", "0x1F", "1e3"] {
            let yaml = ImportedYAML.map([.init("k", .string(s))]).render()
            let loaded = PlanNodeProbe.scalar(yaml)
            #expect(loaded?.text == s, "\(s) → \(yaml)")
            #expect(loaded?.quoted == true, "\(s) must be quoted: \(yaml)")
        }
        for s in ["healthy", "5s", "50%", "--silent", "/srv/x", "app.kubernetes.io/name"] {
            #expect(ImportedYAML.map([.init("k", .string(s))]).render() == "k: \(s)\n")
        }
        let multi = ImportedYAML.map([.init("description", .string("line one\n  indented\n\nlast\n"))]).render()
        #expect(PlanNodeProbe.scalar(multi)?.text == "line one\n  indented\n\nlast\n")
    }
}

/// Reads back the one scalar of a one-key document with the plan loader's YAML reader.
enum PlanNodeProbe {
    static func scalar(_ yaml: String) -> (text: String, quoted: Bool)? {
        let (node, _, _) = YAMLReader(path: "x.yaml").read(Data(yaml.utf8))
        guard let value = node?.entries?.first?.value, let text = value.scalar else { return nil }
        return (text, value.isQuoted)
    }
}
