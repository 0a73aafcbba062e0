import FiredrillTestSupport
import Foundation
import Testing
@testable import FiredrillCore

/// The example plans under `experiments/` and `drills/` are documentation users copy from: every one must load
/// without a single diagnostic, explain itself, and keep the facts this table records.
@Suite struct ExamplePlanTests {
    /// What a plan must still say after a change.
    struct Facts: Sendable, CustomStringConvertible {
        var kind: PlanKind
        /// Steps per section, in `Plan.stepSections` order (method/rollbacks, or disaster/recovery/failback/rollbacks).
        var steps: [Int]
        var steadyState: Int
        var guards: Int = 0
        var rto: Duration? = nil
        var rpo: Duration? = nil

        var description: String { "\(kind.rawValue) steps \(steps)" }
    }

    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let expected: [String: Facts] = [
        "experiments/api-pod-kill.yaml": Facts(kind: .experiment, steps: [2, 1], steadyState: 2, guards: 2),
        "experiments/ecs-stop-task.yaml": Facts(kind: .experiment, steps: [2, 0], steadyState: 2, guards: 1),
        "experiments/ecs-scale-down.yaml": Facts(kind: .experiment, steps: [2, 0], steadyState: 2, guards: 1),
        "experiments/railway-restart.yaml": Facts(kind: .experiment, steps: [2, 1], steadyState: 2, guards: 1),
        "experiments/db-connection-exhaustion.yaml": Facts(kind: .experiment, steps: [2, 0], steadyState: 2, guards: 1),
        "experiments/redis-kill.yaml": Facts(kind: .experiment, steps: [2, 1], steadyState: 2, guards: 1),
        "experiments/local-worker-kill.yaml": Facts(kind: .experiment, steps: [2, 1], steadyState: 1, guards: 1),
        "experiments/local-total-outage.yaml": Facts(kind: .experiment, steps: [3, 1], steadyState: 1, guards: 1),
        "drills/postgres-primary-failover.yaml": Facts(kind: .drill, steps: [1, 1, 7, 0], steadyState: 3, rto: .seconds(900), rpo: .seconds(5)),
        "drills/postgres-backup-restore.yaml": Facts(kind: .drill, steps: [2, 3, 0, 0], steadyState: 2, rto: .seconds(3600), rpo: .seconds(3600)),
        "drills/rds-failover.yaml": Facts(kind: .drill, steps: [1, 0, 0, 0], steadyState: 3, rto: .seconds(300), rpo: .seconds(1)),
        "drills/region-failover.yaml": Facts(kind: .drill, steps: [1, 2, 2, 0], steadyState: 2, rto: .seconds(3600), rpo: .seconds(300)),
        "drills/local-sandbox-outage.yaml": Facts(kind: .drill, steps: [2, 1, 0, 1], steadyState: 1, rto: .seconds(30)),
        "drills/local-postgres-failover.yaml": Facts(kind: .drill, steps: [1, 1, 4, 0], steadyState: 2, rto: .seconds(30), rpo: .seconds(1)),
        "drills/local-postgres-backup-restore.yaml": Facts(kind: .drill, steps: [2, 3, 0, 1], steadyState: 5, rto: .seconds(300), rpo: .seconds(3600)),
        "drills/monthly-dr-checklist.yaml": Facts(kind: .drill, steps: [3, 3, 3, 1], steadyState: 2, rto: .seconds(300)),
    ]

    static func planFiles() -> [String] {
        PlanFiles.expand(["experiments", "drills"].map { repositoryRoot.appendingPathComponent($0).path }).files
            .map { String($0.dropFirst(repositoryRoot.path.count + 1)) }
            .sorted()
    }

    @Test func everyExamplePlanIsListedHere() {
        #expect(Self.planFiles() == Self.expected.keys.sorted())
        #expect(Self.planFiles().count >= 12)
    }

    @Test(arguments: ExamplePlanTests.planFiles())
    func loadsCleanlyAndKeepsItsFacts(_ relative: String) throws {
        let path = Self.repositoryRoot.appendingPathComponent(relative).path
        let result = PlanLoader.load(path: path, catalog: TestCatalog.builtin)
        #expect(result.diagnostics.isEmpty, "\(relative):\n\(result.rendered())")
        let plan = try #require(result.plan)
        let facts = try #require(Self.expected[relative], "\(relative) is not listed in ExamplePlanTests.expected")

        #expect(plan.kind == facts.kind)
        #expect(plan.name == URL(fileURLWithPath: relative).deletingPathExtension().lastPathComponent,
                "a plan's name matches its file name")
        #expect(!plan.title.isEmpty && plan.title != plan.name)
        let description = try #require(plan.description, "\(relative) has no description")
        #expect(description.count >= 200, "the description must tell a newcomer what is tested, why, and what a pass means")
        #expect(description.contains("\n"), "the description is a block scalar")
        #expect(plan.stepSections.map(\.steps.count) == facts.steps)
        #expect(plan.steadyState.count == facts.steadyState)
        #expect(plan.guards.count == facts.guards)
        #expect(plan.text.hasPrefix("# yaml-language-server: $schema=../docs/firedrill.schema.json\n"))
        if facts.kind == .drill {
            #expect(plan.objectives?.rto == facts.rto)
            #expect(plan.objectives?.rpo == facts.rpo)
            #expect(plan.recovered != nil)
            if plan.objectives?.rpo != nil { #expect(plan.rpo != nil) }
        }
    }

    @Test func localDemosTargetOnlyTheSandboxOnLoopback() throws {
        for relative in Self.planFiles() where relative.contains("/local-") && !relative.contains("/local-postgres-") {
            let plan = try #require(PlanLoader.load(path: Self.repositoryRoot.appendingPathComponent(relative).path, catalog: TestCatalog.builtin).plan)
            #expect(plan.environment == "local")
            #expect(plan.vars.first { $0.name == "port" }?.value == "18080")
            #expect(plan.text.contains("127.0.0.1:${port}"))
            #expect(plan.text.contains("sandbox-worker --port ${port} "), "only this sandbox's workers are targeted")
            #expect(plan.text.contains("${state-dir}/supervisor.pid"))
        }
    }

    /// The local PostgreSQL drills run on any machine with PostgreSQL: what differs between machines is a var.
    @Test func localPostgresDrillsKeepMachineSpecificsInVars() throws {
        let relatives = Self.planFiles().filter { $0.contains("/local-postgres-") }
        #expect(relatives.count == 2)
        for relative in relatives {
            let plan = try #require(PlanLoader.load(path: Self.repositoryRoot.appendingPathComponent(relative).path, catalog: TestCatalog.builtin).plan)
            #expect(plan.environment == "local")
            #expect(plan.vars.contains { $0.name == "pg-bin" })
            let dsns = plan.vars.filter { ["dsn", "primary", "standby"].contains($0.name) }
            #expect(!dsns.isEmpty && dsns.allSatisfy { $0.value.contains("host=127.0.0.1 ") }, "\(relative) connects over loopback")
            #expect(!plan.text.contains("[pg_ctl") && !plan.text.contains("[pg_rewind") && !plan.text.contains("[pg_basebackup"),
                    "\(relative) runs PostgreSQL programs from ${pg-bin}")
        }
    }

    @Test func thePrimaryFailoverDrillRunsMonthly() throws {
        let path = Self.repositoryRoot.appendingPathComponent("drills/postgres-primary-failover.yaml").path
        let plan = try #require(PlanLoader.load(path: path, catalog: TestCatalog.builtin).plan)
        #expect(plan.schedule?.cron == "0 3 1 * *")
        #expect(plan.heartbeat != nil)
        if case .heartbeat? = plan.rpo {} else { Issue.record("RPO must be measured by heartbeat") }
        #expect(plan.recovered?.consecutive == 3)
        #expect(plan.verify.count == 2)
    }

    @Test func committedSchemaIsCurrent() throws {
        let url = Self.repositoryRoot.appendingPathComponent("docs/firedrill.schema.json")
        let committed = try String(contentsOf: url, encoding: .utf8)
        let generated = JSONOutput.pretty(JSONSchemaGenerator.schema(TestCatalog.builtin))
        #expect(committed.trimmingCharacters(in: .newlines) == generated,
                "docs/firedrill.schema.json is stale: regenerate it with `firedrill schema > docs/firedrill.schema.json`")
    }
}
