import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// Vars built on vars, and the `until`, `manual` and `repeat:` steps as the loader reads them.
@Suite struct StepKindsLoadingTests {
    static let varsPlan = """
    apiVersion: firedrill/v1
    kind: Experiment
    name: vars-on-vars
    title: vars built on vars
    environment: staging
    vars:
      dsn: "postgresql://${host}:${port}/app"
      host: db.internal
      port: "5432"
      label: "${dsn} (primary)"
    method:
      - command: [echo, "${dsn}"]
    """

    static func value(_ plan: Plan, _ name: String) -> String? {
        plan.vars.first { $0.name == name }?.value
    }

    @Test func varsReferencingVarsAreResolvedOnceInAnyOrder() throws {
        let plan = try PlanFixture.load(Self.varsPlan)
        #expect(Self.value(plan, "dsn") == "postgresql://db.internal:5432/app")
        #expect(Self.value(plan, "label") == "postgresql://db.internal:5432/app (primary)")
        let resolver = try Resolver.forPlan(plan, environment: [:], readSecrets: false)
        guard case .driver(let call) = plan.method[0].action else { Issue.record("not a driver step"); return }
        #expect(resolver.resolve(call.params)["run"]?.sequence?.last?.scalar == "postgresql://db.internal:5432/app")
    }

    @Test func anOverrideAppliesBeforeResolution() throws {
        let plan = try PlanFixture.load(Self.varsPlan, overrides: ["host": "db-2.internal"])
        #expect(Self.value(plan, "host") == "db-2.internal")
        #expect(Self.value(plan, "dsn") == "postgresql://db-2.internal:5432/app")
    }

    @Test func aSelfReferenceIsACycleAtItsLine() throws {
        let yaml = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: cyclic
        title: cyclic
        environment: staging
        vars:
          ok: fine
          loop: "again ${loop}"
        method:
          - command: [echo, "${loop}"]
        """
        let dir = try TempDirectory.make(prefix: "vars-cycle")
        let path = dir + "/plan.yaml"
        try yaml.write(toFile: path, atomically: true, encoding: .utf8)
        let result = PlanLoader.load(path: path, catalog: TestCatalog.builtin)
        #expect(result.plan == nil)
        let cycle = result.diagnostics.filter { $0.message.contains("cycle") }
        #expect(cycle.count == 1)
        #expect(cycle.first?.location.line == 8)
        #expect(cycle.first?.message == "vars reference each other in a cycle: `loop` (line 8) → `loop` (line 8)")
    }

    @Test func aLongChainResolvesWithoutDeepRecursion() throws {
        var vars = "  v0: base\n"
        for i in 1..<3000 { vars += "  v\(i): \"${v\(i - 1)}\"\n" }
        let yaml = """
        apiVersion: firedrill/v1
        kind: Experiment
        name: chain
        title: chain
        environment: staging
        vars:
        \(vars)method:
          - command: [echo, "${v2999}"]
        """
        let plan = try PlanFixture.load(yaml)
        #expect(Self.value(plan, "v2999") == "base")
    }

    @Test func untilManualAndRepeatAreRead() throws {
        let plan = try PlanFixture.load("""
        apiVersion: firedrill/v1
        kind: Drill
        name: steps
        title: steps
        environment: staging
        objectives: { rto: 5m }
        steady-state:
          - name: primary-up
            tcp: { host: 127.0.0.1, port: 5432 }
        recovered: { use: primary-up }
        disaster:
          - name: kill-again
            process.kill: { match: postgres }
            repeat: { every: 30s, for: 5m, jitter: 5s }
        recovery:
          - name: go-no-go
            manual: { prompt: "Fail over?", timeout: 20m, who: incident-commander }
          - name: ask
            manual: "Check the dashboards"
        failback:
          - name: rejoined
            until: { probe: { use: primary-up }, every: 3s, timeout: 4m }
          - name: replica
            until: { probe: { command: [pg_isready], expect: { exit-code: 0 } } }
        """)
        let kill = plan.disaster[0]
        #expect(kill.repetition == RepeatSpec(every: .seconds(30), duration: .seconds(300), jitter: .seconds(5), location: kill.repetition!.location))
        #expect(kill.repetition?.maxRepetitions == 13)
        guard case .manual(let manual) = plan.recovery[0].action, case .manual(let short) = plan.recovery[1].action else {
            Issue.record("not manual steps"); return
        }
        #expect(manual == ManualSpec(prompt: "Fail over?", timeout: .seconds(1200), who: "incident-commander"))
        #expect(short == ManualSpec(prompt: "Check the dashboards", timeout: ManualSpec.defaultTimeout, who: nil))
        guard case .until(let rejoined) = plan.failback[0].action, case .until(let replica) = plan.failback[1].action else {
            Issue.record("not until steps"); return
        }
        #expect(rejoined.probe.uses == "primary-up")
        #expect(rejoined.every == .seconds(3) && rejoined.timeout == .seconds(240))
        #expect(replica.probe.call.key == "command" && replica.probe.name == "replica")
        #expect(replica.every == UntilSpec.defaultEvery && replica.timeout == UntilSpec.defaultTimeout)
    }

    @Test func everyCycleIsReportedOnceAndItsDependentsKeepTheirReferences() {
        let graph = VariableGraph(raw: ["a": "${b}", "b": "x${a}", "c": "${c}", "d": "${a}-y", "e": "${f}", "f": "plain"],
                                  order: ["a", "b", "c", "d", "e", "f"])
        let resolution = graph.resolve()
        #expect(resolution.cycles == [["a", "b", "a"], ["c", "c"]])
        #expect(resolution.values["d"] == "${a}-y", "a value built on a cycle keeps its reference, reported with the cycle")
        #expect(resolution.values["e"] == "plain")
    }
}
