import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

@Suite("kubernetes.pod-delete with a stand-in kubectl")
struct KubernetesPodDeleteDriverTests {
    let getPods = ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop", "--context=staging"]

    func podList() throws -> String {
        try json(KubernetesFixtures.list([
            KubernetesFixtures.pod("api-new", created: "2024-05-03T08:00:00Z"),
            KubernetesFixtures.pod("api-old", created: "2024-05-01T08:00:00Z"),
            KubernetesFixtures.pod("api-older-but-terminating", created: "2024-04-01T08:00:00Z", deleting: true),
            KubernetesFixtures.pod("api-pending", created: "2024-03-01T08:00:00Z", phase: "Pending"),
            KubernetesFixtures.pod("api-mid", created: "2024-05-02T08:00:00Z"),
        ]))
    }

    @Test func deletesTheOldestRunningPodWithTheExactArgv() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(getPods, stdout: try podList())
        let delete = ["kubectl", "delete", "pod", "--wait=false", "--grace-period=0", "--force", "--namespace=shop", "--context=staging", "--", "api-old"]
        try kubectl.respond(delete, stdout: "pod \"api-old\" deleted\n")
        let recorder = CloudTestContext(standIn: kubectl)

        let outcome = try await KubernetesPodDeleteDriver(environment: kubectl.environment).run(
            try params("{ namespace: shop, context: staging, selector: app=api, mode: oldest, force: true }"), context: recorder.context)

        #expect(try kubectl.calls() == [getPods, delete])
        #expect(outcome.output["targets"] == ["api-old"])
        #expect(outcome.summary == "deleted pod api-old in shop")
        let resolved = try #require(await recorder.records("targets.resolved").first)
        #expect(resolved["matched"] == 3)
        #expect(resolved["picked"] == ["api-old"])
    }

    @Test func gracePeriodIsRoundedUpToWholeSecondsAndNewestPicksByCreationTime() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(getPods, stdout: try podList())
        let delete = ["kubectl", "delete", "pod", "--wait=false", "--grace-period=3", "--namespace=shop", "--context=staging", "--", "api-new", "api-mid"]
        try kubectl.respond(delete)
        let recorder = CloudTestContext(standIn: kubectl)

        let outcome = try await KubernetesPodDeleteDriver(environment: kubectl.environment).run(
            try params("{ namespace: shop, context: staging, selector: app=api, mode: newest, count: 2, grace: 2500ms }"), context: recorder.context)

        #expect(try kubectl.calls() == [getPods, delete])
        #expect(outcome.output["targets"] == ["api-new", "api-mid"])
    }

    @Test func hostileSelectorAndNamespaceReachKubectlAsOneArgumentEach() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let hostileGet = ["kubectl", "get", "pods", "--selector=api; rm -rf /", "--output=json", "--namespace=$(reboot)"]
        try kubectl.respond(hostileGet, stdout: try json(KubernetesFixtures.list([KubernetesFixtures.pod("api; rm -rf /", created: "2024-05-01T00:00:00Z")])))
        let hostileDelete = ["kubectl", "delete", "pod", "--wait=false", "--namespace=$(reboot)", "--", "api; rm -rf /"]
        try kubectl.respond(hostileDelete)
        let recorder = CloudTestContext(standIn: kubectl)

        _ = try await KubernetesPodDeleteDriver(environment: kubectl.environment).run(
            try params(#"{ namespace: "$(reboot)", selector: "api; rm -rf /" }"#), context: recorder.context)

        #expect(try kubectl.calls() == [hostileGet, hostileDelete])
    }

    @Test func aPodNamedLikeAFlagIsRefusedAndNothingIsDeleted() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop"]
        try kubectl.respond(get, stdout: try json(KubernetesFixtures.list([KubernetesFixtures.pod("--all", created: "2024-05-01T00:00:00Z")])))
        let recorder = CloudTestContext(standIn: kubectl)

        let error = await #expect(throws: DriverError.self) {
            try await KubernetesPodDeleteDriver(environment: kubectl.environment).run(
                try params("{ namespace: shop, selector: app=api }"), context: recorder.context)
        }
        #expect(error?.description == "kubernetes.pod-delete: pod `--all` is not a valid name: kubectl would read it as a flag; refusing")
        #expect(try kubectl.calls() == [get], "only the read-only listing may have run")
    }

    @Test func failureShowsTheMaskedCommandLineExitStatusAndStderr() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop", "--kubeconfig=/etc/kube/s3cr3t-config"]
        try kubectl.respond(get, stderr: "error: You must be logged in to the server (Unauthorized)\n", exit: 1)
        let recorder = CloudTestContext(standIn: kubectl, secrets: ["s3cr3t"])

        let error = await #expect(throws: DriverError.self) {
            try await KubernetesPodDeleteDriver(environment: kubectl.environment).run(
                try params("{ namespace: shop, kubeconfig: /etc/kube/s3cr3t-config, selector: app=api }"), context: recorder.context)
        }
        let message = try #require(error?.description)
        #expect(message.hasPrefix("kubernetes.pod-delete: `kubectl get pods --selector=app=api --output=json --namespace=shop --kubeconfig=/etc/kube/***-config` exited with status 1"))
        #expect(message.contains("You must be logged in to the server (Unauthorized)"))
        #expect(!message.contains("s3cr3t"))
        #expect(try kubectl.calls() == [get])
    }

    @Test func noRunningPodFailsWithoutDeletingOrIsSkippedWhenAllowed() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop"]
        try kubectl.respond(get, stdout: try json(KubernetesFixtures.list([KubernetesFixtures.pod("api-1", created: "2024-05-01T00:00:00Z", phase: "Succeeded")])))
        let driver = KubernetesPodDeleteDriver(environment: kubectl.environment)

        let error = await #expect(throws: DriverError.self) {
            try await driver.run(try params("{ namespace: shop, selector: app=api }"), context: CloudTestContext().context)
        }
        #expect(error?.description.contains("nothing was touched") == true)
        let skipped = try await driver.run(try params("{ namespace: shop, selector: app=api, if-none: skip }"), context: CloudTestContext().context)
        #expect(skipped.summary.contains("skipped"))
        #expect(try kubectl.calls() == [get, get])
    }

    @Test func pickAboveMaxTargetsTouchesNothing() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        try kubectl.respond(getPods, stdout: try podList())
        let error = await #expect(throws: DriverError.self) {
            try await KubernetesPodDeleteDriver(environment: kubectl.environment).run(
                try params("{ namespace: shop, context: staging, selector: app=api, mode: all }"), context: CloudTestContext(maxTargets: 2).context)
        }
        #expect(error?.description.contains("above limits.max-targets 2") == true)
        #expect(try kubectl.calls() == [getPods])
    }

    @Test func aPodListFarAboveTheDefaultOutputCapIsReadWhole() async throws {
        let kubectl = try StandInCLI(programs: ["kubectl"])
        let get = ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop"]
        let pods = (0..<1000).map { KubernetesFixtures.pod(String(format: "api-%03d", $0), created: String(format: "2024-05-01T00:%02d:%02dZ", $0 / 60, $0 % 60)) }
        let list = try json(KubernetesFixtures.list(pods))
        #expect(list.utf8.count > 4 * CommandRequest.defaultOutputLimit)
        try kubectl.respond(get, stdout: list)
        try kubectl.respond(["kubectl", "delete", "pod", "--wait=false", "--namespace=shop", "--", "api-000"])
        let recorder = CloudTestContext(standIn: kubectl)
        let outcome = try await KubernetesPodDeleteDriver(environment: kubectl.environment).run(
            try params("{ namespace: shop, selector: app=api, mode: oldest }"), context: recorder.context)
        #expect(await recorder.records("targets.resolved").first?["matched"] == 1000)
        #expect(outcome.output["targets"] == ["api-000"])
    }

    @Test func missingKubectlIsAClearError() async throws {
        let empty = try TempDirectory.make(prefix: "firedrill-empty-path")
        let error = await #expect(throws: DriverError.self) {
            try await KubernetesPodDeleteDriver(environment: ["PATH": empty]).run(
                try params("{ selector: app=api }"), context: CloudTestContext().context)
        }
        #expect(error?.description == "kubernetes.pod-delete: kubectl: not found on PATH")
    }
}
