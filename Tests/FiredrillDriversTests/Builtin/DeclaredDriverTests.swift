import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// Every registered driver has a catalog entry, and every driver that declares itself reads exactly the parameters
/// it declares and dry-runs exactly the argv it runs against a stand-in CLI.
@Suite("Registered drivers against their own declarations")
struct DeclaredDriverTests {
    /// One call of a declared driver: its parameters, what the stand-in answers, and the name that stands for
    /// `<resolved at run time>` when it runs.
    struct Example: Sendable {
        var params: String
        var answers: [([String], String)] = []
        var resolved: String? = nil
    }

    static let kubectlExamples: [String: [Example]] = {
        let pods = (try? json(KubernetesFixtures.list([KubernetesFixtures.pod("api-a", created: "2024-05-01T00:00:00Z")]))) ?? ""
        let nodes = (try? json(KubernetesFixtures.list([KubernetesFixtures.node("n1", created: "2024-05-01T00:00:00Z")]))) ?? ""
        let deployment = (try? json(KubernetesFixtures.deployment("api", replicas: 3))) ?? ""
        return [
            "kubernetes.pod-delete": [
                Example(params: "{ namespace: shop, context: staging, kubeconfig: /k/config, selector: app=api, grace: 10s, force: true, mode: oldest, count: 1, if-none: skip }",
                        answers: [(["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop", "--context=staging", "--kubeconfig=/k/config"], pods)],
                        resolved: "api-a"),
                Example(params: "{ selector: app=api, percent: 50% }",
                        answers: [(["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=default"], pods)], resolved: "api-a"),
            ],
            "kubernetes.scale": [
                Example(params: "{ namespace: shop, context: staging, kubeconfig: /k/config, deployment: api, replicas: 0 }",
                        answers: [(["kubectl", "get", "deployment/api", "--output=json", "--namespace=shop", "--context=staging", "--kubeconfig=/k/config"], deployment)]),
                Example(params: "{ statefulset: db, replicas: 2 }",
                        answers: [(["kubectl", "get", "statefulset/db", "--output=json", "--namespace=default"], deployment)]),
            ],
            "kubernetes.rollout-restart": [
                Example(params: "{ namespace: shop, context: staging, kubeconfig: /k/config, deployment: api }"),
                Example(params: "{ statefulset: db }"),
            ],
            "kubernetes.rollout-undo": [
                Example(params: "{ namespace: shop, context: staging, kubeconfig: /k/config, deployment: api, to-revision: 2 }"),
                Example(params: "{ statefulset: db }"),
            ],
            "kubernetes.rollout-status": [
                Example(params: "{ namespace: shop, context: staging, kubeconfig: /k/config, deployment: api }"),
                Example(params: "{ statefulset: db }"),
            ],
            "kubernetes.cordon": [
                Example(params: "{ context: staging, kubeconfig: /k/config, selector: pool=batch, mode: all, if-none: fail }",
                        answers: [(["kubectl", "get", "nodes", "--selector=pool=batch", "--output=json", "--context=staging", "--kubeconfig=/k/config"], nodes)],
                        resolved: "n1"),
                Example(params: "{ node: n1 }", answers: [(["kubectl", "get", "node", "n1", "--output=json"], nodes)], resolved: "n1"),
                Example(params: "{ selector: pool=batch, percent: 50% }",
                        answers: [(["kubectl", "get", "nodes", "--selector=pool=batch", "--output=json"], nodes)], resolved: "n1"),
            ],
            "kubernetes.drain": [
                Example(params: "{ context: staging, kubeconfig: /k/config, selector: pool=batch, grace: 30s, ignore-daemonsets: false, delete-emptydir-data: true, count: 1, mode: newest, if-none: fail }",
                        answers: [(["kubectl", "get", "nodes", "--selector=pool=batch", "--output=json", "--context=staging", "--kubeconfig=/k/config"], nodes)],
                        resolved: "n1"),
                Example(params: "{ node: n1, percent: 50% }", answers: [(["kubectl", "get", "node", "n1", "--output=json"], nodes)], resolved: "n1"),
            ],
        ]
    }()

    @Test func everyRegisteredDriverHasACatalogEntryAndEveryCatalogDriverIsRegistered() {
        let catalog = BuiltinDrivers.catalog
        for key in BuiltinDrivers.steps.keys.sorted() {
            #expect(catalog.spec(key)?.role.contains(.step) == true, "step driver \(key) has no step entry in the catalog")
        }
        for key in BuiltinDrivers.probes.keys.sorted() {
            #expect(catalog.spec(key)?.role.contains(.probe) == true, "probe driver \(key) has no probe entry in the catalog")
        }
        // `wait` and `parallel` are plan structure that the runner carries out itself.
        for spec in catalog.all where !["wait", "parallel"].contains(spec.key) {
            let registered = (spec.role.contains(.step) && BuiltinDrivers.steps[spec.key] != nil)
                || (spec.role.contains(.probe) && BuiltinDrivers.probes[spec.key] != nil)
            #expect(registered, "\(spec.key) is in the catalog but no driver is registered for it")
        }
        for (key, driver) in BuiltinDrivers.declared {
            #expect(catalog.spec(key) == driver.spec, "\(key): the catalog entry is not the driver's own declaration")
        }
    }

    @Test func everyDeclaredDriverHasExamplesHere() {
        #expect(Set(BuiltinDrivers.declared.keys) == Set(Self.kubectlExamples.keys))
    }

    @Test(arguments: BuiltinDrivers.kubernetes.map { type(of: $0).spec.key })
    func declaredDriverReadsExactlyItsDeclaredParametersAndRunsItsDryRunArgv(key: String) async throws {
        let driverType = try #require(BuiltinDrivers.declared[key] as? any ProgramDriver.Type)
        let examples = try #require(Self.kubectlExamples[key])
        let reads = ParamReadLog()
        for example in examples {
            let kubectl = try StandInCLI(programs: ["kubectl"])
            for (argv, stdout) in example.answers { try kubectl.respond(argv, stdout: stdout) }
            let recorder = CloudTestContext(standIn: kubectl)
            let node = try params(example.params)
            let planned = try #require(try ParamReadLog.$current.withValue(reads) {
                try driverType.dryRunArgv(DriverParams(spec: driverType.spec, node: node), environment: kubectl.environment)
            }, "\(key) \(example.params): no dry-run argv")
            let expected = planned.map { argv in
                argv.map { arg in
                    arg.replacingOccurrences(of: Kubectl.resolvedAtRunTime, with: example.resolved ?? arg)
                        .replacingOccurrences(of: "<step timeout>", with: "\(Kubectl.ownTimeoutSeconds(recorder.timeout))s")
                }
            }
            for argv in expected where !example.answers.contains(where: { $0.0 == argv }) { try kubectl.respond(argv) }
            let driver = try #require(driverType.init(environment: kubectl.environment) as? any StepDriver)
            try await ParamReadLog.$current.withValue(reads) {
                _ = try await driver.run(node, context: recorder.context)
                _ = try await driverType.previewTargets(DriverParams(spec: driverType.spec, node: node), environment: kubectl.environment)
            }
            let ran = try kubectl.calls()
            #expect(Array(ran.prefix(expected.count)) == expected, "\(key) \(example.params): the dry run does not show what the driver runs")
        }
        let declared = Set(driverType.spec.params.map(\.name))
        let read = reads.read(by: key)
        #expect(read.subtracting(declared).isEmpty, "\(key) reads undeclared parameters: \(read.subtracting(declared).sorted())")
        #expect(declared.subtracting(read).isEmpty, "\(key) declares parameters it never reads: \(declared.subtracting(read).sorted())")
    }
}
