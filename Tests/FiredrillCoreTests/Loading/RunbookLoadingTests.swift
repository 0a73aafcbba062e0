import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// `runbook:` in a plan: an http(s) URL, or an error at its line and column; and the tools a plan needs.
struct RunbookLoadingTests {
    static func load(_ runbook: String, vars: String = "", overrides: [String: String] = [:]) -> LoadResult {
        let text = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: runbook-check
        title: runbook
        environment: test
        \(vars)
        runbook: \(runbook)
        method:
          - command: [true]
        """
        return PlanLoader.load(data: Data(text.utf8), path: "plan.yaml", catalog: TestCatalog.builtin, overrides: overrides)
    }

    @Test func anHTTPSURLLoadsAndVarsAreSubstituted() throws {
        let plain = Self.load("https://wiki.example.com/runbooks/db-failover#steps")
        #expect(plain.diagnostics.isEmpty, "\(plain.diagnostics.map(\.headline))")
        #expect(plain.plan?.runbook == "https://wiki.example.com/runbooks/db-failover#steps")
        let templated = Self.load("\"${wiki}/runbooks/db\"", vars: "vars: { wiki: \"http://wiki.internal:8080\" }")
        #expect(templated.diagnostics.isEmpty, "\(templated.diagnostics.map(\.headline))")
        #expect(templated.plan?.runbook == "http://wiki.internal:8080/runbooks/db")
    }

    @Test(arguments: ["ftp://wiki.example.com/runbook", "wiki.example.com/runbook", "\"https://\"", "\"https://wiki.example.com/run book\"",
                      "\"${env.WIKI}/runbook\"", "[https://a.example.com]"])
    func anythingElseIsAnErrorAtItsLineAndColumn(runbook: String) {
        let result = Self.load(runbook)
        let headlines = result.diagnostics.map(\.headline)
        #expect(result.plan == nil)
        #expect(headlines.contains { $0.hasPrefix("plan.yaml:7:10:") && $0.contains("runbook") }, "\(headlines)")
    }

    @Test func aVarOverrideKeepsThePlansValueBesideIt() throws {
        let result = Self.load("https://wiki.example.com/r", vars: "vars: { target: prod-db.example.com, port: \"5432\" }",
                               overrides: ["target": "localhost"])
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.headline))")
        let parameters = EffectiveParameter.of(plan, overrides: ["target": "localhost"])
        #expect(parameters.map(\.name) == ["target", "port"])
        #expect(parameters[0].value == "localhost" && parameters[0].planValue == "prod-db.example.com" && parameters[0].overridden)
        #expect(parameters[1].value == "5432" && parameters[1].planValue == "5432" && !parameters[1].overridden)
    }

    @Test func onlyTheToolsThePlanUsesAreProbed() throws {
        let commandOnly = try #require(Self.load("https://wiki.example.com/r").plan)
        #expect(ExternalTool.used(by: commandOnly).isEmpty)
        let text = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: tools-check
        title: tools
        environment: { name: staging, aws-account: "123456789012" }
        steady-state:
          - postgres: { dsn: "postgres://localhost/app", query: "select 1" }
        method:
          - kubernetes.rollout-restart: { deployment: api, namespace: shop }
        """
        let result = PlanLoader.load(data: Data(text.utf8), path: "plan.yaml", catalog: TestCatalog.builtin)
        let plan = try #require(result.plan, "\(result.diagnostics.map(\.headline))")
        #expect(ExternalTool.used(by: plan) == [.kubectl, .aws, .libpq])

        var drill = Plan(path: "drill.yaml", text: "", kind: .drill, name: "backup-drill")
        drill.rpo = .backup(stanza: "main", manifest: nil)
        #expect(ExternalTool.used(by: drill) == [.pgbackrest])
        drill.rpo = .backup(stanza: nil, manifest: "/backups/backup_manifest")
        #expect(ExternalTool.used(by: drill).isEmpty)
    }
}
