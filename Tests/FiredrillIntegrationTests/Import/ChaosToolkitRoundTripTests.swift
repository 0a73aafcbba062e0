import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// A Chaos Toolkit pod-kill experiment imported with `firedrill import chaostoolkit`, then run through the binary
/// against a stand-in `kubectl`: it sends the deletion Chaos Toolkit's `terminate_pods` would (one pod of the
/// label selector, in the namespace, with the grace period), and nothing else.
@Suite(.serialized) struct ChaosToolkitRoundTripTests {
    static let experiment = """
    {
      "version": "1.0.0",
      "title": "API survives losing a pod",
      "description": "Kill one API pod; the service must stay up.",
      "configuration": {"namespace": "shop"},
      "steady-state-hypothesis": {
        "title": "the stand-in cluster answers",
        "probes": [{"type": "probe", "name": "kubectl-works", "tolerance": 0,
                    "provider": {"type": "process", "path": "true"}}]
      },
      "method": [{
        "type": "action", "name": "terminate-one-api-pod",
        "provider": {"type": "python", "module": "chaosk8s.pod.actions", "func": "terminate_pods",
                     "arguments": {"label_selector": "app=api", "ns": "${namespace}", "qty": 1, "rand": true, "grace_period": 0}}
      }]
    }
    """

    @Test func anImportedPodKillSendsTheSameDeletion() async throws {
        let binary = try FiredrillBinary.path()
        let dir = try TempDirectory.make(prefix: "ctk")
        try Self.experiment.write(toFile: dir + "/experiment.json", atomically: true, encoding: .utf8)
        let plan = dir + "/pod-kill.yaml"
        let imported = try ChildProcess([binary, "import", "chaostoolkit", dir + "/experiment.json", "-o", plan])
        #expect(await imported.wait(timeout: .seconds(30)) == 0, "\(imported.readOutput())")
        let validate = try ChildProcess([binary, "validate", plan])
        #expect(await validate.wait(timeout: .seconds(30)) == 0, "\(validate.readOutput())")

        let kubectl = try StandInCLI(programs: ["kubectl"])
        let list = ["kubectl", "get", "pods", "--selector=app=api", "--output=json", "--namespace=shop"]
        let pods = #"{"apiVersion":"v1","kind":"List","items":[{"metadata":{"name":"api-7d9f8c6b5-x2x9z","namespace":"shop","creationTimestamp":"2024-05-01T08:00:00Z"},"status":{"phase":"Running"}}]}"#
        try kubectl.respond(list, stdout: pods)
        let delete = ["kubectl", "delete", "pod", "--wait=false", "--grace-period=0", "--namespace=shop", "--", "api-7d9f8c6b5-x2x9z"]
        try kubectl.respond(delete, stdout: "pod \"api-7d9f8c6b5-x2x9z\" deleted\n")
        var environment = ProcessInfo.processInfo.environment
        environment.merge(kubectl.environment) { _, new in new }

        let run = try ChildProcess([binary, "run", plan, "--reports", dir + "/reports"], environment: environment)
        #expect(await run.wait(timeout: .seconds(60)) == 0, "\(run.readOutput())")
        // The run record asks kubectl its version once, before anything acts; then the same calls Chaos Toolkit makes.
        #expect(try kubectl.calls() == [["kubectl", "version", "--client"], list, delete])
    }
}
