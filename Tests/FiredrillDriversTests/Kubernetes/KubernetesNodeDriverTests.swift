import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

@Suite("kubernetes.cordon and kubernetes.drain with a stand-in kubectl")
struct KubernetesNodeDriverTests {
    @Test func cordonBySelectorSkipsAlreadyCordonedNodesJournalsUncordonFirstAndUndoes() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "nodes", "--selector=pool=batch", "--output=json", "--context=prod-eu"]
        try kubectl.respond(get, stdout: try json(KubernetesFixtures.list([
            KubernetesFixtures.node("node-a", created: "2024-01-01T00:00:00Z"),
            KubernetesFixtures.node("node-b", created: "2024-02-01T00:00:00Z", unschedulable: true),
            KubernetesFixtures.node("node-c", created: "2024-03-01T00:00:00Z"),
        ], kind: "NodeList")))
        let cordon = ["kubectl", "cordon", "--context=prod-eu", "--", "node-a", "node-c"]
        let uncordon = ["kubectl", "uncordon", "--context=prod-eu", "--", "node-a", "node-c"]
        try kubectl.respond(cordon, stdout: "node/node-a cordoned\nnode/node-c cordoned\n")
        try kubectl.respond(uncordon, stdout: "node/node-a uncordoned\nnode/node-c uncordoned\n")
        let recorder = CloudTestContext(standIn: kubectl)

        let outcome = try await KubernetesCordonDriver(environment: kubectl.environment).run(
            try params("{ context: prod-eu, selector: pool=batch, mode: oldest, count: 5 }"), context: recorder.context)

        #expect(outcome.output["targets"] == ["node-a", "node-c"])
        let intent = try #require(await recorder.intents.first)
        #expect(intent.callsBefore == 1)
        #expect(intent.action == UndoAction(key: "kubernetes.uncordon", params: ["nodes": ["node-a", "node-c"], "context": "prod-eu"],
                                            description: "uncordon node-a, node-c"))
        let how = try await KubernetesUncordonUndo(environment: kubectl.environment).undo(intent.action.params, context: recorder.context)
        #expect(how == "uncordoned node-a, node-c")
        #expect(try kubectl.calls() == [get, cordon, uncordon])
    }

    @Test func drainOfANamedNodePassesEveryFlagAndJournalsUncordon() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "node", "node-a", "--output=json"]
        try kubectl.respond(get, stdout: try json(KubernetesFixtures.node("node-a", created: "2024-01-01T00:00:00Z")))
        let drain = ["kubectl", "drain", "--ignore-daemonsets", "--delete-emptydir-data", "--grace-period=30", "--timeout=115s", "--", "node-a"]
        try kubectl.respond(drain, stdout: "node/node-a cordoned\nevicting pod shop/api-1\nnode/node-a drained\n")
        let recorder = CloudTestContext(standIn: kubectl, timeout: .seconds(120))

        let outcome = try await KubernetesDrainDriver(environment: kubectl.environment).run(
            try params("{ node: node-a, grace: 30s, delete-emptydir-data: true }"), context: recorder.context)

        #expect(try kubectl.calls() == [get, drain])
        #expect(outcome.summary == "drained node-a")
        let intent = try #require(await recorder.intents.first)
        #expect(intent.callsBefore == 1)
        #expect(intent.action.key == "kubernetes.uncordon")
    }

    @Test func drainWithoutDaemonSetFlagAndAFailingEvictionShowsStderr() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(["kubectl", "get", "node", "node-a", "--output=json"],
                            stdout: try json(KubernetesFixtures.node("node-a", created: "2024-01-01T00:00:00Z")))
        try kubectl.respond(["kubectl", "drain", "--timeout=55s", "--", "node-a"],
                            stderr: "error: cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/fluentd-x\n", exit: 1)
        let recorder = CloudTestContext(standIn: kubectl, timeout: .seconds(60))
        let error = await #expect(throws: DriverError.self) {
            try await KubernetesDrainDriver(environment: kubectl.environment).run(
                try params("{ node: node-a, ignore-daemonsets: false }"), context: recorder.context)
        }
        #expect(error?.description.contains("cannot delete DaemonSet-managed Pods") == true)
        #expect(await recorder.intents.count == 1, "the uncordon stays owed: the drain may have cordoned the node")
    }
}
