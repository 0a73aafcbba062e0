import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// Feeds mutated versions of a valid plan through the loader: it must never trap, and every input it rejects must
/// come with at least one error located inside the file.
@Suite struct PlanLoaderRobustnessTests {
    static let validPlan = """
    # yaml-language-server: $schema=../docs/firedrill.schema.json
    apiVersion: firedrill/v1
    kind: Experiment
    name: api-pod-kill
    title: API keeps 99% availability while one pod is killed
    description: |
      Kills one API pod and checks that traffic keeps flowing.
    owner: platform-sre
    tags: [kubernetes, api]
    environment: staging
    limits: { duration: 15m, max-targets: 2 }
    vars:
      ns: geo-climate
      api: "http://127.0.0.1:18080"
    secrets:
      token: { env: API_TOKEN }
    steady-state:
      - name: health
        http:
          url: "${api}/health"
          headers: { Authorization: "Bearer ${secret.token}" }
        expect: { status: 200 }
      - name: availability
        traffic: { url: "${api}/health", rate: 20/s, for: 10s }
        expect: { success: ">= 99%" }
    guards:
      - use: health
        every: 1s
        tolerate: 2
    method:
      - name: kill-api-pod
        kubernetes.pod-delete: { namespace: "${ns}", selector: app=api, count: 1, grace: 0s }
      - wait: 30s
      - parallel:
          - process.pause: { match: "worker --queue orders", for: 10s }
          - command: [echo, "${steps.kill-api-pod.targets}"]
    rollbacks:
      - kubernetes.rollout-restart: { namespace: "${ns}", deployment: api }

    """

    /// SplitMix64: a small deterministic generator, so a failure reproduces.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func mutations() -> [(label: String, data: Data)] {
        let original = [UInt8](validPlan.utf8)
        var out: [(String, Data)] = []
        for cut in stride(from: 0, to: original.count, by: 7) {
            out.append(("truncated at byte \(cut)", Data(original[..<cut])))
        }
        var rng = SeededGenerator(state: 0xF1D0_0D11)
        for round in 0..<100 {
            var bytes = original
            for _ in 0..<(1 + round % 4) {
                let i = Int.random(in: 0..<bytes.count, using: &rng)
                if round % 2 == 0 {
                    bytes[i] = UInt8.random(in: 0...255, using: &rng)
                } else {
                    let j = Int.random(in: 0..<bytes.count, using: &rng)
                    bytes.swapAt(i, j)
                }
            }
            out.append(("random bytes, round \(round)", Data(bytes)))
        }
        let lineStarts = original.indices.filter { $0 == 0 || original[$0 - 1] == UInt8(ascii: "\n") }
        for (n, start) in lineStarts.enumerated() {
            var bytes = original
            let at = n % 2 == 0 ? start : min(start + 2, bytes.count)
            bytes.insert(UInt8(ascii: "\t"), at: at)
            out.append(("tab inserted on line \(n + 1)", Data(bytes)))
        }
        return out
    }

    @Test func theUnmutatedPlanIsValid() {
        let result = PlanLoader.load(data: Data(Self.validPlan.utf8), path: "base.yaml", catalog: TestCatalog.builtin)
        #expect(result.diagnostics.isEmpty, "\(result.rendered())")
        #expect(result.plan != nil)
    }

    @Test func mutatedPlansNeverCrashAndAlwaysExplainARejection() {
        let cases = Self.mutations()
        #expect(cases.count >= 300)
        var rejected = 0
        for (label, data) in cases {
            let result = PlanLoader.load(data: data, path: "mutant.yaml", catalog: TestCatalog.builtin)
            let lineCount = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
            if result.plan == nil {
                rejected += 1
                #expect(!result.errors.isEmpty, "\(label): rejected without an error")
            } else {
                #expect(result.errors.isEmpty, "\(label): a plan came back despite errors")
            }
            for d in result.diagnostics {
                #expect(d.location.line >= 1 && d.location.line <= max(1, lineCount), "\(label): line \(d.location.line) of \(lineCount)")
                #expect(d.location.column >= 1, "\(label): column \(d.location.column)")
                #expect(d.location.file == "mutant.yaml")
            }
            // Rendering must not trap either, whatever the location.
            _ = result.rendered()
        }
        #expect(rejected > cases.count / 2)
    }
}
