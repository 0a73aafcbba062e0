import FiredrillCore
import FiredrillReport
import FiredrillTestSupport
import Foundation

/// Runs small plans against fakes and renders their reports, for the report tests.
enum ReportRig {
    static let scriptName = "<script>alert(1)</script>"
    static let scriptOutput = "<script>alert(2)</script> & <b>bold</b>"

    static func drillPlan(rto: String = "5s", rpo: String = "5s") -> String {
        """
        apiVersion: firedrill/v1
        kind: Drill
        name: report-drill
        title: "Lose the API <script>alert(3)</script>"
        description: |
          Scales the API to zero and back.
          A pass means the API is stable again within the RTO.

          What is checked:
            - RTO <5s> & the API
              answers again;
            - the *rollback* runs
          1. first
          2. second
        environment: test
        participants: [on-call SRE, DBA]
        objectives: { rto: \(rto), rpo: \(rpo) }
        steady-state:
          - name: health
            http: { url: "http://127.0.0.1:9/health" }
        disaster:
          - name: outage
            kubernetes.scale: { deployment: api, replicas: 0 }
        recovery:
          - name: "\(scriptName)"
            kubernetes.scale: { deployment: api, replicas: 3 }
        recovered:
          http: { url: "http://127.0.0.1:9/health" }
          every: 50ms
          consecutive: 3
          timeout: 10s
        rpo:
          query: { dsn: "postgres://127.0.0.1:9/orders", query: "SELECT max(created_at) FROM orders" }
        failback:
          - name: failback
            kubernetes.rollout-restart: { deployment: api }
        rollbacks:
          - name: rollback
            kubernetes.rollout-undo: { deployment: api }
        """
    }

    static func experimentPlan(wait: String = "200ms") -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: report-experiment
        title: API survives a scale-down
        environment: test
        steady-state:
          - name: health
            http: { url: "http://127.0.0.1:9/health" }
        guards:
          - use: health
            every: 50ms
        method:
          - name: inject
            kubernetes.scale: { deployment: api, replicas: 0 }
          - name: hold
            wait: \(wait)
        rollbacks:
          - name: rollback-one
            kubernetes.rollout-undo: { deployment: api }
        """
    }

    /// The drill's drivers: the `recovered` probe fails from the outage until the repair, which takes `repairDelay`.
    struct Drill {
        let probe = ScriptedProbe()
        let repairDelay: Duration
        let rpoSeconds: Double?
        var rpoBound: RPOMeasurement.Bound = .exact

        var drivers: RigDrivers {
            let probe = self.probe
            let delay = repairDelay
            let steps = TestDrivers(probes: ["http": probe], steps: [
                "kubernetes.scale": ClosureStep { name in
                    if name == "outage" { probe.set(passing: false) } else {
                        try await Task.sleep(for: delay)
                        probe.set(passing: true)
                    }
                },
                "kubernetes.rollout-restart": OutputStep(output: ["stdout": .string(ReportRig.scriptOutput)], summary: ReportRig.scriptOutput),
                "kubernetes.rollout-undo": OutputStep(output: [:], summary: "rolled back"),
            ])
            return RigDrivers(base: steps, meter: FixedRPOMeter(seconds: rpoSeconds, bound: rpoBound))
        }
    }

    /// The experiment's drivers: `inject` records an undo, whose driver fails, and `rollback-one` fails.
    struct Experiment {
        let probe = ScriptedProbe()
        /// When set, the probe starts failing this long after `inject` took effect: timed from the method, so a
        /// slow start cannot make the steady state fail instead.
        var failAfterInject: Duration?

        var drivers: RigDrivers {
            let probe = self.probe
            let after = failAfterInject
            return RigDrivers(base: TestDrivers(probes: ["http": probe], steps: [
                "kubernetes.scale": UndoableStep {
                    guard let after else { return }
                    Task {
                        try await Task.sleep(for: after)
                        probe.set(passing: false)
                    }
                },
                "kubernetes.rollout-undo": ClosureStep { _ in throw DriverError("kubernetes.rollout-undo", "rollout undo refused <script>") },
            ], undos: ["kubernetes.scale": FailingUndo()]), meter: nil)
        }
    }

    /// Runs `plan` in a fresh run directory with operator notes, like `firedrill run --note`.
    static func run(_ yaml: String, drivers: any DriverSet, notes: [String] = []) async throws -> RunSummary {
        let plan = try PlanFixture.load(yaml)
        let session = RunSession(plan: plan, overrides: [:], drivers: drivers, observer: nil)
        let dir = try TempDirectory.make(prefix: "firedrill-report")
        let (options, recorder, resolver) = try session.prepare(reportsRoot: nil, runDirectory: dir + "/run", rollbacks: .always,
                                                                notes: notes, initiator: "auditor@test-host")
        return try await session.run(options: options, recorder: recorder, resolver: resolver)
    }

    /// The four report files of a run directory, written by `ReportWriter`.
    struct Rendered {
        var directory: String
        var json: String
        var markdown: String
        var html: String
        var junit: String
        var report: RunReport
    }

    static func render(_ directory: String) throws -> Rendered {
        let paths = try ReportWriter.write(runDirectory: directory)
        func read(_ name: String) throws -> String { try String(contentsOfFile: directory + "/" + name, encoding: .utf8) }
        let json = try read("report.json")
        let report = try JSONDecoder().decode(RunReport.self, from: Data(json.utf8))
        guard paths.count == 4 else { throw RunError("ReportWriter wrote \(paths.count) files, expected 4: \(paths)") }
        return Rendered(directory: directory, json: json, markdown: try read("report.md"), html: try read("report.html"),
                        junit: try read("junit.xml"), report: report)
    }

    static func removeRun(_ directory: String) {
        try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: directory).deletingLastPathComponent().path)
    }
}

/// A driver set adding an RPO meter to test fakes.
struct RigDrivers: DriverSet {
    let base: TestDrivers
    let meter: (any RPOMeter)?

    func probe(_ key: String) -> (any ProbeDriver)? { base.probe(key) }
    func step(_ key: String) -> (any StepDriver)? { base.step(key) }
    func undo(_ key: String) -> (any UndoDriver)? { base.undo(key) }
    func heartbeat(_ kind: String) -> (any HeartbeatDriver)? { nil }
    func rpoMeter() -> (any RPOMeter)? { meter }
}

/// Reports a fixed data-loss window (or bound, or none) with four lost markers.
struct FixedRPOMeter: RPOMeter {
    let seconds: Double?
    var bound: RPOMeasurement.Bound = .exact
    func measure(_ spec: RPOSpec, disasterAt: Double, heartbeat: HeartbeatStats?, before: JSONValue?, runID: String,
                 context: DriverContext) async throws -> RPOMeasurement {
        RPOMeasurement(mode: "query", seconds: seconds, bound: bound,
                       summary: seconds.map { "newest surviving row written \($0)s before the disaster" } ?? "nothing to measure against",
                       detail: ["markers-lost": 4])
    }
}

/// A step returning a fixed output and summary.
struct OutputStep: StepDriver {
    let output: JSONValue
    let summary: String
    func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        StepOutcome(output: output, summary: summary)
    }
}

/// A fault that records its undo before taking effect.
struct UndoableStep: StepDriver {
    /// Runs once the scale-down took effect.
    var afterEffect: @Sendable () -> Void = {}

    func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        _ = try await context.willApply(UndoAction(key: "kubernetes.scale", params: ["deployment": "api", "replicas": 3],
                                                   description: "scale deployment/api back to 3 replicas"))
        afterEffect()
        return StepOutcome(output: ["previous": 3, "replicas": 0], summary: "scaled deployment/api from 3 to 0")
    }
}

/// An undo that always fails.
struct FailingUndo: UndoDriver {
    func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        throw DriverError("kubernetes.scale", "the API server refused the scale")
    }
}

/// An undo that succeeds.
struct SucceedingUndo: UndoDriver {
    func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        "scaled deployment/api to 3"
    }
}
