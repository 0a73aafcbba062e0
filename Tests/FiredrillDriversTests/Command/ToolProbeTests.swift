import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

/// `ToolProbe`: real programs on a PATH the test builds. A tool that answers is recorded with its output, one that is
/// missing, fails or hangs is recorded as such (and a hang is ended within its limit); and the plan's git state
/// comes from a real repository.
struct ToolProbeTests {
    /// A PATH holding only `programs` (name → shell script body) and the system's basic tools they need.
    static func path(_ programs: [String: String]) throws -> (dir: String, environment: [String: String]) {
        let dir = try TempDirectory.make(prefix: "toolprobe")
        let bin = dir + "/bin"
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        for (name, body) in programs { try ExecutableFile.write("#!/bin/sh\n" + body + "\n", to: bin + "/" + name) }
        return (dir, ["PATH": bin + ":/bin:/usr/bin"])
    }

    @Test func answeringMissingFailingAndHangingToolsAreEachRecordedAsSuch() async throws {
        let (dir, env) = try Self.path([
            "kubectl": "echo 'Client Version: v1.31.2'; echo 'Kustomize Version: v5.4.2'",
            "aws": "echo 'aws: credentials broken' >&2; exit 3",
            "railway": "exec sleep 30",
        ])
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let probe = ToolProbe(timeout: .seconds(2), environment: env)
        let started = ContinuousClock.now
        let versions = await probe.versions(of: [.kubectl, .aws, .railway, .libpq])
        #expect(ContinuousClock.now - started < .seconds(25), "a hanging tool was not ended at its limit")
        #expect(versions.map(\.tool) == ["kubectl", "aws", "railway", "libpq"])
        #expect(versions[0].status == .read && versions[0].version == "Client Version: v1.31.2; Kustomize Version: v5.4.2")
        #expect(versions[0].command == "kubectl version --client")
        #expect(versions[1].status == .failed && versions[1].detail?.contains("exit status 3") == true
                && versions[1].detail?.contains("credentials broken") == true, "\(versions[1])")
        #expect(versions[2].status == .timedOut, "\(versions[2])")
        #expect(versions[3].status == .read && versions[3].command == "PQlibVersion()")
        #expect(versions[3].version?.first?.isNumber == true, "\(versions[3])")

        let missing = await ToolProbe(timeout: .seconds(2), environment: ["PATH": dir + "/nothing-here"]).versions(of: [.kubectl])
        #expect(missing.first?.status == .missing, "\(missing)")
    }

    @Test func theGitCommitIsGivenOnlyForATrackedUnmodifiedPlan() async throws {
        let dir = try TempDirectory.make(prefix: "toolprobe-git")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let repo = dir + "/repo"
        try FileManager.default.createDirectory(atPath: repo + "/plans", withIntermediateDirectories: true)
        let plan = repo + "/plans/drill.yaml"
        try "name: drill\n".write(toFile: plan, atomically: true, encoding: .utf8)
        let probe = ToolProbe(timeout: .seconds(20))

        #expect(await probe.provenance(ofPlanAt: plan, text: "name: drill\n").status == .notInRepository)
        try await Self.git(repo, ["init", "-q"])
        #expect(await probe.provenance(ofPlanAt: plan, text: "name: drill\n").status == .untracked)
        try await Self.git(repo, ["add", "plans/drill.yaml"])
        let uncommitted = await probe.provenance(ofPlanAt: plan, text: "name: drill\n")
        #expect(uncommitted.status == .untracked && uncommitted.detail == "the repository has no commit yet", "\(uncommitted)")
        try await Self.git(repo, ["-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "-m", "plan"])
        let head = try await Self.git(repo, ["rev-parse", "HEAD"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let committed = await probe.provenance(ofPlanAt: plan, text: "name: drill\n")
        #expect(committed.status == .committed && committed.commit == head, "\(committed)")
        // git's own id for the blob is what the record compares the running text with.
        let blob = try await Self.git(repo, ["rev-parse", "HEAD:plans/drill.yaml"]).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(PlanProvenance.gitBlobID(of: "name: drill\n") == blob)
        // The file is unchanged on disk, but the plan that runs was read before an edit that was then reverted.
        let raced = await probe.provenance(ofPlanAt: plan, text: "name: drill-edited\n")
        #expect(raced.status == .modified && raced.commit == nil && raced.detail?.contains(head) == true, "\(raced)")

        try "name: drill\n# edited\n".write(toFile: plan, atomically: true, encoding: .utf8)
        let modified = await probe.provenance(ofPlanAt: plan, text: "name: drill\n")
        #expect(modified.status == .modified && modified.commit == nil, "\(modified)")

        let noGit = await ToolProbe(timeout: .seconds(2), environment: ["PATH": dir + "/nothing-here"]).provenance(ofPlanAt: plan, text: "name: drill\n")
        #expect(noGit.status == .unavailable && noGit.commit == nil, "\(noGit)")
    }

    @discardableResult
    static func git(_ repo: String, _ args: [String]) async throws -> String {
        let result = try await CommandRunner().run(CommandRequest(argv: ["git", "-C", repo] + args, timeout: .seconds(30)))
        try result.check()
        return result.stdout
    }
}
