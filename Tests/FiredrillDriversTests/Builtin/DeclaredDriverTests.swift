import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// Every registered driver has a catalog entry, and every driver that runs a cloud CLI or API reads exactly the
/// parameters it declares and dry-runs exactly the argv it runs against a stand-in CLI. The other drivers (probes,
/// `command`, `process.*`, floods) are exercised the same way in `RegisteredDriverTests`.
@Suite("Cloud drivers against their own declarations")
struct DeclaredDriverTests {
    /// One call of a declared driver: its parameters, what the stand-in program answers (by the start of the
    /// argv), the name that stands for `<resolved at run time>` when it runs, and for an API driver the answers of
    /// a stand-in Railway API (JSON; `API_URL` in `params` becomes its address).
    struct Example: Sendable {
        var params: String
        var answers: [(String, String)] = []
        var resolved: String? = nil
        var environment: [String: String] = [:]
        var api: String? = nil
    }

    static let examples: [String: [Example]] = {
        let pods = (try? json(KubernetesFixtures.list([KubernetesFixtures.pod("api-a", created: "2024-05-01T00:00:00Z")]))) ?? ""
        let nodes = (try? json(KubernetesFixtures.list([KubernetesFixtures.node("n1", created: "2024-05-01T00:00:00Z")]))) ?? ""
        let deployment = (try? json(KubernetesFixtures.deployment("api", replicas: 3))) ?? ""
        let instances = #"{"Reservations":[{"Instances":[{"InstanceId":"i-0a1","State":{"Name":"running"},"LaunchTime":"2024-05-01T00:00:00Z"}]}]}"#
        let cluster = #"{"DBClusters":[{"DBClusterMembers":[{"DBInstanceIdentifier":"orders-1","IsClusterWriter":true}]}]}"#
        let railwayProject = #"{"project":{"data":{"project":{"services":{"edges":[{"node":{"id":"11111111-1111-4111-8111-111111111111","name":"api"}}]},"environments":{"edges":[{"node":{"id":"22222222-2222-4222-8222-222222222222","name":"staging"}}]}}}},"deployments":{"data":{"deployments":{"edges":[{"node":{"id":"dep-active","status":"SUCCESS","createdAt":"2024-05-03T10:00:00.000Z","canRollback":false}},{"node":{"id":"dep-previous","status":"REMOVED","createdAt":"2024-05-02T10:00:00.000Z","canRollback":true}}]}}},"deploymentRollback":{"data":{"deploymentRollback":true}}}"#
        let tasks = #"{"taskArns":["arn:aws:ecs:eu-west-1:1:task/shop/t1"]}"#
        let services = #"{"services":[{"serviceName":"api","desiredCount":2,"taskDefinition":"arn:aws:ecs:eu-west-1:1:task-definition/api:6"}],"service":{"desiredCount":0,"taskDefinition":"arn:aws:ecs:eu-west-1:1:task-definition/api:6"}}"#
        return [
            "kubernetes.pod-delete": [
                Example(params: "{ namespace: shop, context: staging, kubeconfig: /k/config, selector: app=api, grace: 10s, force: true, mode: oldest, count: 1, if-none: skip }",
                        answers: [("kubectl get pods", pods)],
                        resolved: "api-a"),
                Example(params: "{ selector: app=api, percent: 50% }",
                        answers: [("kubectl get pods", pods)], resolved: "api-a"),
            ],
            "kubernetes.scale": [
                Example(params: "{ namespace: shop, context: staging, kubeconfig: /k/config, deployment: api, replicas: 0 }",
                        answers: [("kubectl get deployment/api", deployment)]),
                Example(params: "{ statefulset: db, replicas: 2 }",
                        answers: [("kubectl get statefulset/db", deployment)]),
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
                        answers: [("kubectl get nodes", nodes)],
                        resolved: "n1"),
                Example(params: "{ node: n1 }", answers: [("kubectl get node n1", nodes)], resolved: "n1"),
                Example(params: "{ selector: pool=batch, percent: 50% }",
                        answers: [("kubectl get nodes", nodes)], resolved: "n1"),
            ],
            "kubernetes.drain": [
                Example(params: "{ context: staging, kubeconfig: /k/config, selector: pool=batch, grace: 30s, ignore-daemonsets: false, delete-emptydir-data: true, count: 1, mode: newest, if-none: fail }",
                        answers: [("kubectl get nodes", nodes)],
                        resolved: "n1"),
                Example(params: "{ node: n1, percent: 50% }", answers: [("kubectl get node n1", nodes)], resolved: "n1"),
            ],
            "aws.ec2.stop-instances": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', tags: { team: orders }, force: true, mode: oldest, count: 1, if-none: fail }",
                        answers: [("aws ec2 describe-instances", instances), ("aws ec2 stop-instances", "{}")], resolved: "i-0a1"),
                Example(params: "{ ids: [i-0a1], percent: 50% }",
                        answers: [("aws ec2 describe-instances", instances), ("aws ec2 stop-instances", "{}")], resolved: "i-0a1"),
            ],
            "aws.ec2.reboot-instances": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', tags: { team: orders }, mode: newest, count: 1, if-none: fail }",
                        answers: [("aws ec2 describe-instances", instances), ("aws ec2 reboot-instances", "{}")], resolved: "i-0a1"),
                Example(params: "{ ids: [i-0a1], percent: 50% }",
                        answers: [("aws ec2 describe-instances", instances), ("aws ec2 reboot-instances", "{}")], resolved: "i-0a1"),
            ],
            "aws.rds.failover-db-cluster": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', cluster: orders, target-instance: orders-2 }",
                        answers: [("aws rds describe-db-clusters", cluster), ("aws rds failover-db-cluster", "{}")]),
            ],
            "aws.rds.reboot-db-instance": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', instance: billing, force-failover: true }", answers: [("aws rds reboot-db-instance", "{}")]),
            ],
            "aws.ecs.stop-task": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', cluster: shop, service: api, reason: drill, count: 1, if-none: fail }",
                        answers: [("aws ecs list-tasks", tasks), ("aws ecs stop-task", "{}")], resolved: "arn:aws:ecs:eu-west-1:1:task/shop/t1"),
                Example(params: "{ cluster: shop, percent: 50%, mode: random }",
                        answers: [("aws ecs list-tasks", tasks), ("aws ecs stop-task", "{}")], resolved: "arn:aws:ecs:eu-west-1:1:task/shop/t1"),
            ],
            "aws.ecs.update-service": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', cluster: shop, service: api, desired-count: 0, force-new-deployment: true }",
                        answers: [("aws ecs describe-services", services), ("aws ecs update-service", services)]),
                Example(params: "{ cluster: shop, service: api, task-definition: api:7 }",
                        answers: [("aws ecs describe-services", services), ("aws ecs update-service", services)]),
            ],
            "aws.elasticache.test-failover": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', replication-group: sessions, node-group: \"0002\" }",
                        answers: [("aws elasticache test-failover", #"{"ReplicationGroup":{"ReplicationGroupId":"sessions","Status":"modifying"}}"#)]),
            ],
            "aws.route53.failover": [
                Example(params: "{ region: eu-west-1, profile: drills, endpoint-url: 'http://127.0.0.1:1', hosted-zone: Z1, record: api.example.com, type: A, values: [10.0.0.2], ttl: 30 }",
                        answers: [("aws route53 list-resource-record-sets", #"{"ResourceRecordSets":[]}"#),
                                  ("aws route53 change-resource-record-sets", #"{"ChangeInfo":{"Id":"c1","Status":"PENDING"}}"#)]),
            ],
            "railway.restart": [
                Example(params: "{ service: api, environment: staging, project: p1 }", answers: [("railway restart", #"{"id":"d-42","status":"SUCCESS"}"#)]),
            ],
            "railway.redeploy": [
                Example(params: "{ service: api, environment: staging, project: p1 }", answers: [("railway redeploy", #"{"id":"d-42","status":"SUCCESS"}"#)]),
            ],
            "railway.down": [
                Example(params: "{ service: api, environment: staging, project: p1 }", answers: [("railway down", "removed\n")]),
            ],
            "railway.rollback": [
                Example(params: "{ service: api, deployment: dep-7, token-env: MY_TOKEN, api-url: \"API_URL\" }",
                        environment: ["MY_TOKEN": "tok-1"], api: #"{"deploymentRollback":{"data":{"deploymentRollback":true}}}"#),
                Example(params: "{ service: api, environment: staging, project: 33333333-3333-4333-8333-333333333333, api-url: \"API_URL\" }",
                        environment: ["RAILWAY_API_TOKEN": "tok-1"], api: railwayProject),
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
        // `wait`, `parallel`, `until` and `manual` are plan structure that the runner carries out itself.
        let control = Set(DriverCatalog.control.map(\.key))
        for spec in catalog.all where !control.contains(spec.key) {
            let registered = (spec.role.contains(.step) && BuiltinDrivers.steps[spec.key] != nil)
                || (spec.role.contains(.probe) && BuiltinDrivers.probes[spec.key] != nil)
            #expect(registered, "\(spec.key) is in the catalog but no driver is registered for it")
        }
        for (key, driver) in BuiltinDrivers.declared {
            #expect(catalog.spec(key) == driver.spec, "\(key): the catalog entry is not the driver's own declaration")
        }
    }

    @Test func everyDeclaredDriverHasExamplesHere() {
        #expect(Set(Self.programDrivers) == Set(Self.examples.keys))
    }

    /// The declared drivers that run a program; the others (`network.*`, `redis.*`) are checked against real
    /// servers in their own suites.
    static let programDrivers = BuiltinDrivers.declared.filter { $0.value is any ProgramDriver.Type }.keys.sorted()

    @Test(arguments: programDrivers)
    func declaredDriverReadsExactlyItsDeclaredParametersAndRunsItsDryRunArgv(key: String) async throws {
        let driverType = try #require(BuiltinDrivers.declared[key] as? any ProgramDriver.Type)
        let examples = try #require(Self.examples[key])
        let reads = ParamReadLog()
        for example in examples {
            let standIn = try StandInCLI(programs: driverType.spec.program.map { [$0] } ?? [])
            let api = try example.api.map { text in
                try RailwayAPIStandIn(answers: try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]))
            }
            let environment = standIn.environment.merging(example.environment) { $1 }
            let recorder = CloudTestContext(standIn: standIn)
            let node = try params(example.params.replacingOccurrences(of: "API_URL", with: api?.url ?? ""))
            let planned = try ParamReadLog.$current.withValue(reads) {
                try driverType.dryRunArgv(DriverParams(spec: driverType.spec, node: node), environment: environment)
            } ?? []
            #expect(planned.isEmpty == (driverType.spec.program == nil), "\(key): a driver that runs a program shows its argv, and only then")
            let expected = planned.map { argv in
                argv.map { arg in
                    arg.replacingOccurrences(of: Kubectl.resolvedAtRunTime, with: example.resolved ?? arg)
                        .replacingOccurrences(of: "<step timeout>", with: "\(Kubectl.ownTimeoutSeconds(recorder.timeout))s")
                }
            }
            for argv in expected {
                let line = argv.joined(separator: " ")
                try standIn.respond(argv, stdout: example.answers.first { line.hasPrefix($0.0) }?.1 ?? "")
            }
            let driver = try #require(driverType.init(environment: environment) as? any StepDriver)
            try await ParamReadLog.$current.withValue(reads) {
                _ = try await driver.run(node, context: recorder.context)
                _ = try await driverType.previewTargets(DriverParams(spec: driverType.spec, node: node), environment: environment)
            }
            let ran = try standIn.calls()
            #expect(Array(ran.prefix(expected.count)) == expected, "\(key) \(example.params): the dry run does not show what the driver runs")
        }
        let declared = Set(driverType.spec.params.map(\.name))
        let read = reads.read(by: key)
        #expect(read.subtracting(declared).isEmpty, "\(key) reads undeclared parameters: \(read.subtracting(declared).sorted())")
        #expect(declared.subtracting(read).isEmpty, "\(key) declares parameters it never reads: \(declared.subtracting(read).sorted())")
    }
}
