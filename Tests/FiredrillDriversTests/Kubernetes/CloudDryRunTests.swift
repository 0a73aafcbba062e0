import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

@Suite("Dry-run argv and read-only target preview of the cloud drivers")
struct CloudDryRunTests {
    @Test func podDeleteArgvIsExactlyWhatTheDriverRunsWithAPlaceholderForThePods() throws {
        let argv = BuiltinDrivers.describeArgv("kubernetes.pod-delete", try params("{ namespace: shop, selector: app=api, grace: 10s }"))
        #expect(argv == [
            ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop"],
            ["kubectl", "delete", "pod", "--wait=false", "--grace-period=10", "--namespace=shop", "--", "<resolved at run time>"],
        ])
    }

    @Test func everyCloudStepDescribesItsCommands() throws {
        let cases: [(String, String, [[String]])] = [
            ("kubernetes.scale", "{ namespace: shop, deployment: api, replicas: 0 }", [
                ["kubectl", "get", "deployment/api", "--output=json", "--namespace=shop"],
                ["kubectl", "scale", "deployment/api", "--replicas=0", "--namespace=shop"],
            ]),
            ("kubernetes.rollout-status", "{ deployment: api }", [
                ["kubectl", "rollout", "status", "deployment/api", "--timeout=<step timeout>", "--namespace=default"],
            ]),
            ("kubernetes.drain", "{ selector: pool=batch, context: prod }", [
                ["kubectl", "get", "nodes", "--selector=pool=batch", "--output=json", "--context=prod"],
                ["kubectl", "drain", "--ignore-daemonsets", "--timeout=<step timeout>", "--context=prod", "--", "<resolved at run time>"],
            ]),
            ("aws.ec2.stop-instances", "{ tags: { team: orders }, region: eu-west-1 }", [
                ["aws", "ec2", "describe-instances", "--filters", "Name=tag:team,Values=orders", "Name=instance-state-name,Values=running",
                 "--region=eu-west-1", "--output", "json"],
                ["aws", "ec2", "stop-instances", "--instance-ids", "<resolved at run time>", "--region=eu-west-1", "--output", "json"],
            ]),
            ("aws.ecs.stop-task", "{ cluster: shop, service: api }", [
                ["aws", "ecs", "list-tasks", "--cluster=shop", "--service-name=api", "--desired-status", "RUNNING", "--output", "json"],
                ["aws", "ecs", "stop-task", "--cluster=shop", "--task=<resolved at run time>", "--reason=firedrill experiment", "--output", "json"],
            ]),
            ("aws.rds.reboot-db-instance", "{ instance: billing, force-failover: true, profile: drills }", [
                ["aws", "rds", "reboot-db-instance", "--db-instance-identifier=billing", "--force-failover", "--profile=drills", "--output", "json"],
            ]),
            ("aws.route53.failover", "{ hosted-zone: Z1, record: api.example.com, values: [10.0.0.2] }", [
                ["aws", "route53", "list-resource-record-sets", "--hosted-zone-id=Z1", "--start-record-name=api.example.com.",
                 "--start-record-type=A", "--max-items=1", "--output", "json"],
                ["aws", "route53", "change-resource-record-sets", "--hosted-zone-id=Z1",
                 #"--change-batch={"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"api.example.com.","ResourceRecords":[{"Value":"10.0.0.2"}],"TTL":60,"Type":"A"}}],"Comment":"firedrill aws.route53.failover"}"#,
                 "--output", "json"],
            ]),
        ]
        for (key, yaml, expected) in cases {
            #expect(BuiltinDrivers.describeArgv(key, try params(yaml)) == expected, "\(key)")
        }
        #expect(BuiltinDrivers.describeArgv("flood.tcp", try params("{ host: 127.0.0.1, port: 1, connections: 1, hold: 1s }")) == nil)
    }

    @Test func tagValuesTheShorthandCannotCarryGoAsJSON() throws {
        let argv = BuiltinDrivers.describeArgv("aws.ec2.reboot-instances", try params(#"{ tags: { "team,x": "a=b" } }"#))
        #expect(argv?.first == ["aws", "ec2", "describe-instances", "--filters",
                                #"[{"Name":"tag:team,x","Values":["a=b"]},{"Name":"instance-state-name","Values":["running"]}]"#,
                                "--output", "json"])
    }

    @Test func previewRunsOnlyTheReadAndListsWhatWouldBePicked() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop"]
        try kubectl.respond(get, stdout: try json(KubernetesFixtures.list([
            KubernetesFixtures.pod("api-b", created: "2024-05-02T00:00:00Z"),
            KubernetesFixtures.pod("api-a", created: "2024-05-01T00:00:00Z"),
            KubernetesFixtures.pod("api-c", created: "2024-05-03T00:00:00Z"),
        ])))
        let oldest = try await BuiltinDrivers.previewTargets("kubernetes.pod-delete", try params("{ namespace: shop, selector: app=api, mode: oldest, count: 2 }"),
                                                             environment: kubectl.environment)
        #expect(oldest == ["api-a", "api-b"])
        let random = try await BuiltinDrivers.previewTargets("kubernetes.pod-delete", try params("{ namespace: shop, selector: app=api }"),
                                                             environment: kubectl.environment)
        #expect(random == ["1 of 3 at random from: api-b, api-a, api-c"])
        try kubectl.respond(["kubectl", "get", "deployment/api", "--output=json", "--namespace=shop"],
                            stdout: try json(KubernetesFixtures.deployment("api", replicas: 4)))
        let scale = try await BuiltinDrivers.previewTargets("kubernetes.scale", try params("{ namespace: shop, deployment: api, replicas: 1 }"),
                                                            environment: kubectl.environment)
        #expect(scale == ["deployment/api: 4 replicas now"])
        #expect(try kubectl.calls() == [get, get, ["kubectl", "get", "deployment/api", "--output=json", "--namespace=shop"]])
        #expect(try await BuiltinDrivers.previewTargets("railway.restart", try params("{ service: api }")) == nil)
    }

    @Test func everyCloudDriverKeyInTheCatalogIsRegistered() {
        let families = ["kubernetes", "aws", "railway"]
        let keys = TestCatalog.builtin.all.filter { families.contains($0.family) }.map(\.key) + ["flood.tcp", "flood.http"]
        #expect(keys.count == 21)
        for key in keys { #expect(BuiltinDrivers.steps[key] != nil, "\(key)") }
        for undo in ["kubernetes.scale-restore", "kubernetes.uncordon", "aws.ec2.start-instances", "aws.ecs.restore-service",
                     "aws.route53.restore-record", "flood.release"] {
            #expect(BuiltinDrivers.undos[undo] != nil, "\(undo)")
        }
    }
}

extension MotoBackedTests {
    @Suite("Read-only target preview against moto_server")
    struct PreviewAgainstMotoTests {
        @Test func previewOfEC2TagsAgainstMoto() async throws {
            let aws = try MotoAWS()
            defer { aws.moto.stop() }
            let ids = try await aws.launch(count: 2, team: "preview")
            let lines = try await BuiltinDrivers.previewTargets("aws.ec2.stop-instances", try params("{ \(aws.access), tags: { team: preview }, mode: all }"),
                                                                environment: aws.moto.environment)
            #expect(Set(lines ?? []) == Set(ids))
            #expect(try await aws.instanceStates(ids).values.allSatisfy { $0 == "running" }, "a preview changes nothing")
        }
    }
}
