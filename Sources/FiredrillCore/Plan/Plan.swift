import Foundation

/// A parsed plan: an Experiment or a Drill, with every value still located in its source file.
public struct Plan: Sendable {
    public var path: String
    /// The file's text exactly as read (its SHA-256 is what reports quote).
    public var text: String
    public var kind: PlanKind
    public var apiVersion: String
    public var name: String
    public var title: String
    public var description: String?
    public var owner: String?
    public var tags: [String]
    /// Where the plan runs, with its vars substituted (`${env.NAME}` is resolved when the run starts).
    public var environment: String
    /// The live context the environment must match, when the plan binds it.
    public var environmentBinding: EnvironmentBinding?
    /// What the production gate decided, set by the gate before a run and journaled in `run.started`.
    public var gate: GateDecision?
    public var participants: [String]
    /// `runbook:` — the http(s) URL of the runbook the plan exercises.
    public var runbook: String?
    public var schedule: Schedule?
    /// Where the team is told about the run (`notify:`).
    public var notify: [NotifyTarget] = []
    public var objectives: Objectives?
    public var limits: Limits
    public var vars: [PlanVariable]
    public var secrets: [SecretReference]
    public var steadyState: [ProbeSpec]
    public var guards: [ProbeSpec]
    /// `effect`: experiment probes that must pass at least once while the method runs, showing that the fault hit
    /// something; one that never does makes an otherwise passing run inconclusive.
    public var effect: [ProbeSpec]
    public var method: [Step]
    public var rollbacks: [Step]
    public var heartbeat: HeartbeatSpec?
    public var disaster: [Step]
    public var recovery: [Step]
    public var recovered: ProbeSpec?
    /// `expect-outage`: whether the `recovered` probe must see an outage for the RTO to be judged (default true).
    /// A drill whose point is a failover without an outage states `false`.
    public var expectOutage: Bool
    public var rpo: RPOSpec?
    public var verify: [ProbeSpec]
    public var failback: [Step]

    public init(path: String, text: String, kind: PlanKind, name: String) {
        self.path = path
        self.text = text
        self.kind = kind
        self.apiVersion = "firedrill/v1"
        self.name = name
        self.title = name
        self.description = nil
        self.owner = nil
        self.tags = []
        self.environment = "staging"
        self.environmentBinding = nil
        self.gate = nil
        self.participants = []
        self.runbook = nil
        self.schedule = nil
        self.objectives = nil
        self.limits = Limits()
        self.vars = []
        self.secrets = []
        self.steadyState = []
        self.guards = []
        self.effect = []
        self.method = []
        self.rollbacks = []
        self.heartbeat = nil
        self.disaster = []
        self.recovery = []
        self.recovered = nil
        self.expectOutage = true
        self.rpo = nil
        self.verify = []
        self.failback = []
    }

    /// Every step list of the plan with its section name, in run order.
    public var stepSections: [(section: String, steps: [Step])] {
        switch kind {
        case .experiment:
            return [("method", method), ("rollbacks", rollbacks)]
        case .drill:
            return [("disaster", disaster), ("recovery", recovery), ("failback", failback), ("rollbacks", rollbacks)]
        }
    }
}
