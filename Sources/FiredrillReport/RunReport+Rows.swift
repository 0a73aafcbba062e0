import FiredrillCore

extension RunReport {
    /// A point in the run on both of the journal's clocks.
    public struct Instant: Sendable, Codable, Equatable {
        /// Wall-clock time, RFC 3339 UTC with microseconds.
        public var time: String
        /// Seconds since the run started (monotonic).
        public var mono: Double
        public init(time: String, mono: Double) {
            self.time = time
            self.mono = mono
        }
    }

    /// An interval on the monotonic clock, for charts.
    public struct Window: Sendable, Codable, Equatable {
        public var label: String
        public var startMono: Double
        public var endMono: Double
    }

    /// The plan's hard ceilings as journaled.
    public struct Limits: Sendable, Codable {
        public var durationSeconds: Double?
        public var maxTargets: Int?
    }

    /// One phase of the run (`baseline`, `method`, `disaster`, `rollbacks`…), from its `phase.started` to the next.
    public struct PhaseRow: Sendable, Codable {
        public var name: String
        public var start: Instant
        public var end: Instant?
        public var seconds: Double?
    }

    /// One step's row.
    public struct StepRow: Sendable, Codable {
        public var name: String
        public var phase: String
        public var kind: String
        public var start: Instant
        public var end: Instant?
        public var seconds: Double?
        /// `ok`, `failed`, `cancelled`, or `interrupted` when the journal has no end for it.
        public var status: String
        /// The driver's summary, or the error.
        public var summary: String
        /// The step's parameters as journaled (secrets masked).
        public var params: JSONValue?
        /// The step's recorded output.
        public var output: JSONValue?
    }

    /// Probe results aggregated per probe and role, with the numeric observation's distribution when there is one.
    public struct ProbeRow: Sendable, Codable {
        public var probe: String
        public var role: String
        public var executions: Int
        public var failures: Int
        public var first: Instant
        public var last: Instant
        /// The verdict of the last execution: for steady-state checks and `verify`, the check's outcome.
        public var lastPassed: Bool
        public var lastMessage: String
        public var expected: String?
        /// The observation field the numbers come from (`latency`, `value`), when there is one.
        public var valueField: String?
        public var valueMin: Double?
        public var valueP50: Double?
        public var valueP95: Double?
        public var valueMax: Double?
    }

    /// A guard that ran out of tolerance and aborted the run.
    public struct GuardBreachRow: Sendable, Codable {
        public var at: Instant
        public var guardName: String
        public var message: String
        public var expected: String?
        public var observed: JSONValue?
        public var failures: Int?
    }

    /// An experiment's `effect` check: whether it saw the fault while the method ran.
    public struct EffectRow: Sendable, Codable {
        public var probe: String
        /// `seen`, `not seen`, or `not judged` when the method ended before the check could finish.
        public var status: String
        /// When it first saw the fault (`effect.seen`), or when it was found not to have (`effect.not-seen`).
        public var at: Instant?
        /// The observation that saw the fault; for one not seen, the last observation.
        public var observed: JSONValue?
        public var message: String
    }

    /// Something that departed from the plan's expectations.
    public struct DeviationRow: Sendable, Codable {
        /// `guard-breach`, `limit-exceeded`, `objective-missed`, `steady-state`, `verify`, `step-failed`,
        /// `rollback-failed`, `undo-failed`, `failback`, `not-restored`, `interrupted`, `unfinished`, `truncated`.
        public var kind: String
        public var at: Instant?
        public var subject: String
        public var message: String
    }

    /// An owed or completed undo from the ledger.
    public struct UndoRow: Sendable, Codable {
        public var id: Int
        public var step: String
        public var key: String
        public var description: String
        public var recorded: Instant
        /// `pending`, `done` or `failed`.
        public var status: String
        public var how: String?
        public var closed: Instant?
    }

    /// One rollback action: an undo carried out at the end, or a `rollbacks:` step.
    public struct RollbackRow: Sendable, Codable {
        /// `undo` or `step`.
        public var kind: String
        public var name: String
        public var description: String
        public var start: Instant
        public var end: Instant?
        public var seconds: Double?
        /// `ok`, `failed` or `running`.
        public var status: String
        public var detail: String
        /// True when `firedrill recover` did it, after the runner itself had stopped.
        public var byRecover: Bool
    }

    /// The drill's failback and its verification (the steady state checked after it).
    public struct FailbackRow: Sendable, Codable {
        public var start: Instant
        public var steps: [String]
        public var failedSteps: [String]
        /// nil when the plan has no steady state to verify with.
        public var verified: Bool?
        public var verificationFailures: [String]
        public var verifiedAt: Instant?
    }

    /// The steady state checked once more after the rollbacks.
    public struct RecoveryCheckRow: Sendable, Codable {
        public var at: Instant
        public var recovered: Bool
        public var failures: [String]
    }

    /// One `firedrill recover` pass over this run.
    public struct RecoverRow: Sendable, Codable {
        public var start: Instant
        public var end: Instant?
        public var initiator: String
        public var pendingUndos: Int
        public var failures: Int?
        /// Who ran `recover` (`--operator`, OS user and host); nil for a journal that predates it.
        public var runOperator: String? = nil
    }

    /// Follow-up work the run calls for, one per missed objective, failed step, failed undo or rollback, and
    /// guard breach (and per owed undo, unrestored steady state, or damaged journal).
    public struct ActionItem: Sendable, Codable {
        /// `AI-1`, `AI-2`…, in journal order.
        public var id: String
        public var kind: String
        public var subject: String
        public var text: String
        public var at: Instant?
    }

    /// A line of the sign-off block; the names, dates and signatures are filled in by people.
    public struct SignOffLine: Sendable, Codable {
        public var role: String
        public var name: String?
        public var date: String?
    }

    /// The journal as evidence: its length, head hash and whether its chain is intact.
    public struct JournalEvidence: Sendable, Codable {
        public var file: String
        public var events: Int
        /// Hex SHA-256 of the last intact line (without its newline).
        public var head: String
        public var valid: Bool
        public var problem: String?
        public var lastTime: String?
        /// How to check the head independently.
        public var howToVerify: [String]
        /// `sealed`, `unfinished` or `tampered` (see `JournalAudit`).
        public var integrity: String? = nil
        /// One line: `sealed: N events`, `unfinished or truncated after event N (…)`, `TAMPERED: …`.
        public var seal: String? = nil
        /// `unsigned`, or `signed by key <fingerprint> (…)`.
        public var signing: String? = nil
        /// The last event a valid checkpoint or seal signature covers.
        public var signedThrough: Int? = nil
        /// What else the audit found, one sentence each.
        public var integrityDetails: [String]? = nil
    }
}
