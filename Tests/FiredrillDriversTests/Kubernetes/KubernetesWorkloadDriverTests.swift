import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

@Suite("kubernetes scale and rollout drivers with a stand-in kubectl")
struct KubernetesWorkloadDriverTests {
    @Test func scaleJournalsTheOldCountBeforeScalingAndTheUndoRestoresIt() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "deployment/api", "--output=json", "--namespace=shop", "--context=staging", "--kubeconfig=/k/config"]
        let scale = ["kubectl", "scale", "deployment/api", "--replicas=0", "--namespace=shop", "--context=staging", "--kubeconfig=/k/config"]
        let restore = ["kubectl", "scale", "deployment/api", "--replicas=3", "--namespace=shop", "--context=staging", "--kubeconfig=/k/config"]
        try kubectl.respond(get, stdout: try json(KubernetesFixtures.deployment("api", replicas: 3)))
        try kubectl.respond(scale, stdout: "deployment.apps/api scaled\n")
        try kubectl.respond(restore, stdout: "deployment.apps/api scaled\n")
        let recorder = CloudTestContext(standIn: kubectl)

        let outcome = try await KubernetesScaleDriver(environment: kubectl.environment).run(
            try params("{ namespace: shop, context: staging, kubeconfig: /k/config, deployment: api, replicas: 0 }"), context: recorder.context)

        #expect(outcome.summary == "scaled deployment/api from 3 to 0 replicas")
        let intent = try #require(await recorder.intents.first)
        #expect(intent.callsBefore == 1, "the undo must be journaled after the read and before the scale")
        #expect(intent.action.key == "kubernetes.scale-restore")
        #expect(intent.action.params == ["kind": "deployment", "name": "api", "namespace": "shop", "context": "staging",
                                         "kubeconfig": "/k/config", "replicas": 3])
        #expect(try kubectl.calls() == [get, scale])

        let how = try await KubernetesScaleRestoreUndo(environment: kubectl.environment).undo(intent.action.params, context: recorder.context)
        #expect(how == "scaled deployment/api back to 3 replicas")
        #expect(try kubectl.calls() == [get, scale, restore])
    }

    @Test func scaleOfAStatefulSetWithoutReplicasFieldTreatsItAsOne() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "statefulset/db", "--output=json", "--namespace=default"]
        try kubectl.respond(get, stdout: #"{"kind":"StatefulSet","metadata":{"name":"db"},"spec":{}}"#)
        try kubectl.respond(["kubectl", "scale", "statefulset/db", "--replicas=2", "--namespace=default"])
        let recorder = CloudTestContext(standIn: kubectl)
        _ = try await KubernetesScaleDriver(environment: kubectl.environment).run(try params("{ statefulset: db, replicas: 2 }"), context: recorder.context)
        #expect(await recorder.intents.first?.action.params["replicas"] == 1)
    }

    @Test func scaleDoesNotJournalAnUndoWhenTheReadFails() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(["kubectl", "get", "deployment/api", "--output=json", "--namespace=shop"],
                            stderr: "Error from server (NotFound): deployments.apps \"api\" not found\n", exit: 1)
        let recorder = CloudTestContext(standIn: kubectl)
        let error = await #expect(throws: DriverError.self) {
            try await KubernetesScaleDriver(environment: kubectl.environment).run(try params("{ namespace: shop, deployment: api, replicas: 5 }"), context: recorder.context)
        }
        #expect(error?.description.contains("deployments.apps \"api\" not found") == true)
        #expect(await recorder.intents.isEmpty)
        #expect(try kubectl.calls().count == 1)
    }

    @Test func rolloutRestartUndoAndStatusRunTheExactArgv() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let restart = ["kubectl", "rollout", "restart", "deployment/api", "--namespace=shop"]
        let undo = ["kubectl", "rollout", "undo", "statefulset/db", "--to-revision=4", "--namespace=shop"]
        let status = ["kubectl", "rollout", "status", "deployment/api", "--timeout=55s", "--namespace=shop"]
        try kubectl.respond(restart, stdout: "deployment.apps/api restarted\n")
        try kubectl.respond(undo, stdout: "statefulset.apps/db rolled back\n")
        try kubectl.respond(status, stdout: "Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas are available...\ndeployment \"api\" successfully rolled out\n")
        let context = CloudTestContext(standIn: kubectl, timeout: .seconds(60)).context

        let restarted = try await KubernetesRolloutRestartDriver(environment: kubectl.environment).run(try params("{ namespace: shop, deployment: api }"), context: context)
        let undone = try await KubernetesRolloutUndoDriver(environment: kubectl.environment).run(try params("{ namespace: shop, statefulset: db, to-revision: 4 }"), context: context)
        let waited = try await KubernetesRolloutStatusDriver(environment: kubectl.environment).run(try params("{ namespace: shop, deployment: api }"), context: context)

        #expect(try kubectl.calls() == [restart, undo, status])
        #expect(restarted.summary == "restarted deployment/api")
        #expect(undone.summary == "rolled statefulset/db back to revision 4")
        #expect(waited.output["exit-code"] == 0)
        #expect(waited.summary.hasSuffix("deployment \"api\" successfully rolled out"))
    }

    @Test func rolloutStatusThatTimesOutFailsWithKubectlsOwnMessage() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(["kubectl", "rollout", "status", "deployment/api", "--timeout=9s", "--namespace=default"],
                            stderr: "error: timed out waiting for the condition\n", exit: 1)
        let error = await #expect(throws: DriverError.self) {
            try await KubernetesRolloutStatusDriver(environment: kubectl.environment).run(
                try params("{ deployment: api }"), context: CloudTestContext(timeout: .seconds(10)).context)
        }
        #expect(error?.description.contains("exited with status 1") == true)
        #expect(error?.description.contains("timed out waiting for the condition") == true)
    }

    @Test func rolloutStatusAsAProbeAsksOnceAndPassesOnlyOnACompleteRollout() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let ask = ["kubectl", "rollout", "status", "deployment/api", "--watch=false", "--namespace=shop"]
        let driver = KubernetesRolloutStatusDriver(environment: kubectl.environment)
        let context = CloudTestContext(standIn: kubectl, timeout: .seconds(30)).context

        try kubectl.respond(ask, stdout: "Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas are available...\n")
        let waiting = try await driver.observe(try params("{ namespace: shop, deployment: api }"), context: context)
        #expect(!waiting.ok)
        #expect(waiting.summary == "deployment/api not rolled out: Waiting for deployment \"api\" rollout to finish: 1 of 3 updated replicas are available...")

        try kubectl.respond(ask, stdout: "deployment \"api\" successfully rolled out\n")
        let done = try await driver.observe(try params("{ namespace: shop, deployment: api }"), context: context)
        #expect(done.ok)
        #expect(done.value["exit-code"] == 0)
        #expect(try kubectl.calls() == [ask, ask])
    }
}
