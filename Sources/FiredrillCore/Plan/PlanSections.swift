/// `limits:` — hard ceilings on a run.
public struct Limits: Sendable, Hashable {
    /// Everything before rollbacks: steady state, method or disaster and recovery, verify.
    public var duration: Duration
    public var maxTargets: Int
    /// Failback, undos and rollbacks together; what is left when it passes stays owed for `recover`.
    public var rollbacks: Duration

    public init(duration: Duration = .seconds(3600), maxTargets: Int = 10, rollbacks: Duration = .seconds(600)) {
        self.duration = duration
        self.maxTargets = maxTargets
        self.rollbacks = rollbacks
    }
}

/// `objectives:` — what a drill must achieve.
public struct Objectives: Sendable, Hashable {
    public var rto: Duration?
    public var rpo: Duration?

    public init(rto: Duration? = nil, rpo: Duration? = nil) {
        self.rto = rto
        self.rpo = rpo
    }
}

/// `schedule:` — when a recurring drill is due.
public struct Schedule: Sendable, Hashable {
    public var cron: String
    public var timezone: String
}

/// A `vars:` entry.
public struct PlanVariable: Sendable, Hashable {
    public var name: String
    /// The value the run uses: a `--var` override when one was given, else the plan's.
    public var value: String
    public var location: SourceLocation
    /// The value written in the plan file (equal to `value` unless a `--var` overrode it).
    public var planValue: String
}

/// A `secrets:` entry: where the value comes from, never the value.
public struct SecretReference: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case environment(String)
        case file(String)
    }

    public var name: String
    public var source: Source
    public var location: SourceLocation
}

/// `heartbeat:` — RPO markers written to a PostgreSQL primary from before the disaster.
public struct HeartbeatSpec: Sendable, Hashable {
    public var dsn: String
    public var every: Duration
    public var table: String
    /// `heartbeat.lead`: how long markers are written before the disaster; nil means 2 × the RPO objective.
    public var lead: Duration?
    public var location: SourceLocation

    /// The lead a run waits for: `lead`, or twice the RPO objective, so that a loss of up to twice the objective is
    /// measured rather than bounded; at least three marker intervals.
    public func effectiveLead(objective: Duration?) -> Duration {
        max(lead ?? (objective.map { $0 * 2 } ?? every * 3), every * 3)
    }
}

/// `rpo:` — how data loss is measured.
public enum RPOSpec: Sendable, Hashable {
    case heartbeat(dsn: String, table: String)
    /// `primary` is where the newest value is read just before the disaster (default: `dsn`).
    case query(dsn: String, query: String, primary: String?)
    case backup(stanza: String?, manifest: String?)
}
