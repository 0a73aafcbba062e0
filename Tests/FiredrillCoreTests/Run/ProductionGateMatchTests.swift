import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// The production gate's decisions, without running anything: which names are protected, where the list comes from,
/// and what a refusal says.
@Suite struct ProductionGateMatchTests {
    @Test(arguments: [
        ("production", "production"), ("prod", "prod"), ("PRD", "prd"), ("Live", "live"), ("production-eu", "production"),
        ("eu-prod", "prod"), ("production ", "production"), ("  Prod\t", "prod"), ("prod2", "prod"), ("EU_PROD_1", "prod"),
        ("ｐｒｏｄ", "prod"), ("live.shop", "live"), ("prodúction", "production"),
    ])
    func protectedNames(name: String, pattern: String) {
        #expect(ProductionGate().match(name) == pattern)
    }

    @Test(arguments: ["staging", "prodigy", "reproduce", "olive", "delivery", "preprod", "qa", ""])
    func unprotectedNames(name: String) {
        #expect(ProductionGate().match(name) == nil)
    }

    @Test func patternsOfSeveralWordsMatchARunOfWords() {
        let gate = ProductionGate(patterns: ["pci cardholder"], source: "test")
        #expect(gate.match("eu-PCI-cardholder-2") == "pci cardholder")
        #expect(gate.match("pci-eu-cardholder") == nil)
    }

    @Test func theListComesFromTheEnvironmentThenTheConfigFile() throws {
        let dir = try TempDirectory.make(prefix: "gate-config")
        try "protected-environments: [pci]\n".write(toFile: dir + "/firedrill.yaml", atomically: true, encoding: .utf8)
        let plan = dir + "/plan.yaml"
        let beside = try ProductionGate.configured(planPath: plan, environment: [:])
        #expect(beside.patterns == ["pci"])
        #expect(beside.source.hasSuffix("firedrill.yaml"))
        let fromVariable = try ProductionGate.configured(planPath: plan, environment: [ProductionGate.listVariable: "uat, qa"])
        #expect(fromVariable.patterns == ["uat", "qa"])
        try "protected-environments: [gold]\n".write(toFile: dir + "/other.yaml", atomically: true, encoding: .utf8)
        let explicit = try ProductionGate.configured(planPath: plan, environment: [ProductionGate.configVariable: dir + "/other.yaml"])
        #expect(explicit.patterns == ["gold"])
        let none = try ProductionGate.configured(planPath: "/nonexistent-dir/plan.yaml", environment: [:])
        #expect(none.patterns == ProductionGate.defaultPatterns)
    }

    @Test func aConfigThatWouldSwitchTheGateOffIsRefused() throws {
        let dir = try TempDirectory.make(prefix: "gate-config")
        for bad in ["protected-environments: []\n", "protected-environments: production\n", "protect: [x]\n"] {
            try bad.write(toFile: dir + "/firedrill.yaml", atomically: true, encoding: .utf8)
            #expect(throws: ResolutionError.self) { try ProductionGate.configured(planPath: dir + "/plan.yaml", environment: [:]) }
        }
        #expect(throws: ResolutionError.self) {
            try ProductionGate.configured(planPath: "plan.yaml", environment: [ProductionGate.listVariable: " , "])
        }
        #expect(throws: ResolutionError.self) {
            try ProductionGate.configured(planPath: "plan.yaml", environment: [ProductionGate.configVariable: "/nonexistent/firedrill.yaml"])
        }
    }

    @Test func theEnvironmentIsResolvedBeforeItIsMatched() async throws {
        let text = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: gate
        title: gate
        environment: "${where}"
        vars: { where: staging }
        method:
          - command: [echo, ok]
        """
        let plan = try #require(PlanLoader.load(data: Data(text.utf8), path: "p.yaml", catalog: TestCatalog.builtin, overrides: ["where": "Production "]).plan)
        #expect(plan.environment == "Production")
        let resolver = try Resolver.forPlan(plan, readSecrets: false)
        let reader: ProductionGate.ContextReader = { _ in (0, "", "") }
        await #expect(throws: ResolutionError.self) {
            try await ProductionGate().admit(plan: plan, resolver: resolver, allowProduction: false, operatorName: "op@host", reader: reader)
        }
        let decision = try await ProductionGate().admit(plan: plan, resolver: resolver, allowProduction: true, operatorName: "op@host", reader: reader)
        #expect(decision.environment == "Production")
        #expect(decision.protectedBy == "production")
        #expect(decision.journalFields["allow-production"] == .bool(true))
        #expect(decision.journalFields["allowed-by"] == "op@host")
    }

    @Test func secretsAndStepResultsCannotNameAnEnvironment() {
        let text = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: gate
        title: gate
        environment: { name: "${secret.env}", kube-context: staging-eu, aws-account: "12345" }
        secrets: { env: { env: ENVIRONMENT } }
        method:
          - command: [echo, ok]
        """
        let messages = PlanLoader.load(data: Data(text.utf8), path: "p.yaml", catalog: TestCatalog.builtin).errors.map(\.message)
        #expect(messages == [
            "`environment.name` may reference vars and `${env.NAME}` only, not `${secret.env}`",
            "`environment.aws-account` must be a 12-digit AWS account id, but this is `12345`",
        ])
    }
}
