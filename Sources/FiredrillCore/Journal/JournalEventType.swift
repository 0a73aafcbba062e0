/// The journal's vocabulary: every event type a run, `recover` or a driver writes to `journal.jsonl`, and the one
/// place where each is written down (its name on disk, when it is written, and its `data` fields).
///
/// The runner, `recover`, `verify`, the consoles and the report builder name events only through this type, and
/// `docs/journal.md` is generated from it (`JournalDocGenerator`). The line format itself is `JournalEvent`'s.
/// A journal may hold a type this build does not know (written by a later release): `JournalEvent.eventType` is
/// then nil, and readers skip it as they always have.
public enum JournalEventType: String, Sendable, CaseIterable, Hashable {
    // Run
    case runStarted = "run.started"
    case runRecord = "run.record"
    case environmentChecked = "environment.checked"
    case phaseStarted = "phase.started"
    case runInterrupted = "run.interrupted"
    case guardBreached = "guard.breached"
    case limitExceeded = "limit.exceeded"
    case runEnded = "run.ended"
    // Steps and probes
    case stepStarted = "step.started"
    case stepEnded = "step.ended"
    case probeResult = "probe.result"
    case targetsResolved = "targets.resolved"
    case floodOpened = "flood.opened"
    case trafficTotal = "traffic.total"
    case proxyCounters = "proxy.counters"
    case effectSeen = "effect.seen"
    case effectNotSeen = "effect.not-seen"
    case untilEnded = "until.ended"
    case repeatStarted = "repeat.started"
    case repeatEnded = "repeat.ended"
    // Operator steps
    case manualWaiting = "manual.waiting"
    case manualAnswered = "manual.answered"
    case manualTimedOut = "manual.timed-out"
    // Undo ledger and rollbacks
    case undoIntent = "undo.intent"
    case undoStarted = "undo.started"
    case undoDone = "undo.done"
    case undoFailed = "undo.failed"
    case rollbacksSkipped = "rollbacks.skipped"
    case recoveryChecked = "recovery.checked"
    // Drills
    case heartbeatStarted = "heartbeat.started"
    case heartbeatStopped = "heartbeat.stopped"
    case drillInjected = "drill.injected"
    case recoveryRunbookDone = "recovery.runbook-done"
    case drillDetected = "drill.detected"
    case drillFirstHealthy = "drill.first-healthy"
    case drillStable = "drill.stable"
    case rtoMeasured = "rto.measured"
    case rpoBefore = "rpo.before"
    case rpoMeasured = "rpo.measured"
    case failbackStopped = "failback.stopped"
    case failbackVerified = "failback.verified"
    // recover
    case recoverStarted = "recover.started"
    case recoverEnded = "recover.ended"
    // The team
    case notifyDelivered = "notify.delivered"
    case notifyFailed = "notify.failed"
    // Journal
    case journalTornLineDiscarded = "journal.torn-line-discarded"
    case journalCheckpoint = "journal.checkpoint"
    case journalSealed = "journal.sealed"

    /// One `data` member of an event: its key, its JSON type, and what it holds.
    public struct Field: Sendable, Equatable {
        public let name: String
        public let type: String
        public let meaning: String

        public init(_ name: String, _ type: String, _ meaning: String) {
            self.name = name
            self.type = type
            self.meaning = meaning
        }
    }

    /// Whether `name` is one of this type's `data` members (a driver-specific type, with a `…` field, declares any).
    public func declares(_ name: String) -> Bool {
        fields.contains { $0.name == name || $0.name == "…" }
    }

    /// Whether the event's `step` member is set, and to what.
    public var stepMember: String? {
        switch self {
        case .stepStarted, .stepEnded, .targetsResolved, .floodOpened, .proxyCounters: return "the step's name"
        case .untilEnded, .repeatStarted, .repeatEnded, .manualWaiting, .manualAnswered, .manualTimedOut: return "the step's name"
        case .probeResult, .drillDetected, .drillFirstHealthy, .drillStable, .trafficTotal: return "the probe's name"
        case .guardBreached: return "the guard's name"
        case .effectSeen, .effectNotSeen: return "the effect check's name"
        case .undoIntent, .undoStarted, .undoDone, .undoFailed: return "the step that applied the effect"
        case .failbackStopped: return "the failback step that failed"
        default: return nil
        }
    }

    /// When the event is written, and by whom.
    public var when: String {
        switch self {
        case .runStarted: return "First event of a run, before anything is probed or injected."
        case .runRecord: return "Right after `run.started` (runs since the auditor record): who ran it, the effective parameters, the versions, the plan's source and runbook."
        case .environmentChecked: return "After `run.started`, once per environment binding check of a protected environment."
        case .phaseStarted: return "When the runner enters a phase; the phase lasts until the next `phase.started`, `run.ended` or `recover.ended`."
        case .runInterrupted: return "When a signal (Ctrl-C, SIGTERM) interrupted the main phase, before the rollbacks."
        case .guardBreached: return "When a guard probe failed often enough to abort the run; the method is cancelled."
        case .limitExceeded: return "When `limits.duration` (main phase) or `limits.rollbacks` (rollbacks phase) ran out."
        case .runEnded: return "Last event of a run, after the rollbacks."
        case .stepStarted: return "Before a step (method, disaster, recovery, rollback or failback step) runs."
        case .stepEnded: return "When a step finished, failed or was cancelled."
        case .probeResult: return "After each probe check: steady state, guard, `recovered` watch, verify; for an `until` step, its first attempt, every 10th and its last."
        case .trafficTotal: return "When a `traffic` stream of a guard or `recovered` probe stops (its watch ended): its figures over its whole life, the fault window as one."
        case .untilEnded: return "When an `until` step's probe passed, or its timeout passed first (the step then fails)."
        case .repeatStarted: return "Before each repetition of a step with `repeat:`; the repetition's undo intents follow it."
        case .repeatEnded: return "When a repetition of a step with `repeat:` finished, failed or was cancelled."
        case .manualWaiting: return "When a `manual` step starts waiting for an operator's answer."
        case .manualAnswered: return "When an operator answered a `manual` step (on the runner's terminal or with `firedrill confirm`)."
        case .manualTimedOut: return "When nobody answered a `manual` step within its timeout; the step fails and the rollbacks run."
        case .targetsResolved: return "Written by a driver once it has resolved what it will act on, before it acts."
        case .floodOpened: return "Written by a flood driver (`flood.tcp`, `flood.postgres`) once its connections are open."
        case .proxyCounters: return "Written by `network.proxy` every `report-every` while its proxy runs, and once when it stops (`final: true`): what went through it and what the toxics did."
        case .undoIntent: return "Before an effect that can be undone is applied: fsynced first, so a crash still leaves it owed."
        case .undoStarted: return "When the rollbacks (or `recover`) start undoing an owed effect."
        case .undoDone: return "When an effect was undone (by the rollbacks, `recover`, or the driver itself)."
        case .undoFailed: return "When undoing an effect failed; the undo stays owed."
        case .rollbacksSkipped: return "Instead of the rollbacks phase, when the policy or the run says there is nothing to do."
        case .recoveryChecked: return "After the rollbacks, once the steady state was checked again (plans with a steady state)."
        case .heartbeatStarted: return "Drills with a heartbeat: once the marker writer runs, before the baseline."
        case .heartbeatStopped: return "Drills with a heartbeat: once the marker writer stopped, with its counts."
        case .drillInjected: return "Drills: at the start of the disaster phase; its `mono` is the instant the RTO counts from."
        case .recoveryRunbookDone: return "Drills: when the last recovery step ended."
        case .drillDetected: return "Drills: the first failed check of the `recovered` probe after injection (the outage was seen)."
        case .drillFirstHealthy: return "Drills: the first passing check of the `recovered` probe after the outage."
        case .drillStable: return "Drills: when the `recovered` probe passed the required number of consecutive checks."
        case .rtoMeasured: return "Drills: once the recovery watch ended, with the RTO figure and verdict."
        case .rpoBefore: return "Drills with `rpo.query`: the baseline value read before the disaster, or why it could not be read."
        case .rpoMeasured: return "Drills with an RPO measurement: after recovery, with the RPO figure and verdict."
        case .failbackStopped: return "Drills: when a failback step failed and the remaining failback steps are skipped."
        case .failbackVerified: return "Drills with a steady state: after the failback steps, once the steady state was checked."
        case .recoverStarted: return "First event `firedrill recover` appends to an unfinished run's journal."
        case .recoverEnded: return "Last event `firedrill recover` appends."
        case .journalTornLineDiscarded: return "When a journal is continued (`recover`) after its torn final line was cut off."
        case .journalCheckpoint: return "Signed journals only: after every `every-events` events, or `every-seconds` after the first event not yet covered, whichever comes first; signs the chain so far, so a run killed mid-way is provable up to its last checkpoint."
        case .journalSealed: return "Last event of a journal: right after `run.ended` (and again after `recover.ended`); signs the head and event count when the run has a key, and is written unsigned otherwise, so a lost tail is always visible."
        case .effectSeen: return "The first time an experiment's `effect` check passes while the method runs (it saw the fault)."
        case .effectNotSeen: return "When the method ended and an `effect` check never passed: an otherwise passing run is inconclusive."
        case .notifyDelivered: return "When a `notify:` message (announcement, guard breach, ending, failed rollback) was delivered."
        case .notifyFailed: return "When a `notify:` message could not be delivered after its bounded retries."
        }
    }

    /// The members of `data`. A member listed as "or null" is present with value `null` when it does not apply.
    public var fields: [Field] {
        switch self {
        case .runStarted:
            return [
                Field("plan", "string", "the plan's name"), Field("title", "string", "the plan's title"),
                Field("kind", "string", "`experiment` or `drill`"), Field("file", "string", "the plan file's path"),
                Field("sha256", "string", "hex SHA-256 of the plan file"),
                Field("git-commit", "string or null", "the plan file's git commit, only when git says it is tracked and unmodified (why not: `run.record`'s `plan-source`)"),
                Field("environment", "string", "the plan's environment"), Field("initiator", "string", "who started the run"),
                Field("participants", "array of strings", "the plan's participants"),
                Field("vars", "object", "the resolved variables, name to value (secrets masked)"),
                Field("rollbacks", "string", "the rollback policy: `always`, `on-failure` or `never`"),
                Field("notes", "array of strings", "the `--note` texts"),
                Field("limits", "object", "`duration` (seconds) and `max-targets`"),
                Field("allow-production", "boolean, optional", "protected environments: whether the run was allowed"),
                Field("protected-environment", "boolean, optional", "protected environments: whether the environment is protected"),
                Field("allowed-by", "string, optional", "protected environments: the operator who allowed it"),
                Field("signing-key", "string, optional", "signed runs: the fingerprint (hex SHA-256 of the raw ed25519 public key) of the key that signs the checkpoints and seal"),
                Field("signing-public-key", "string, optional", "signed runs: that public key, base64 of its 32 raw bytes"),
            ]
        case .runRecord:
            return [
                Field("operator", "object", "`name` (string or null: `--operator` or `$FIREDRILL_OPERATOR`), `source` (string or null: which of the two), `os-user`, `uid` (number), `host`"),
                Field("parameters", "array of objects", "the plan's vars after `--var` overrides, in plan order: `name`, `value` (as written; secrets masked, a `${secret.…}` reference stays a reference), `plan-value` (string or null: the plan file's value; null for a var only `--var` set), `overridden`, `secret-reference` (booleans)"),
                Field("firedrill", "object", "this build: `version`, `compiler`, `configuration`"),
                Field("tools", "array of objects", "each external tool the plan uses, read once: `tool` (`kubectl`, `aws`, `railway`, `libpq`, `pgbackrest`), `command`, `status` (`read`, `missing`, `timed-out`, `failed`), `version` and `detail` (string or null)"),
                Field("plan-source", "object", "`status` (`committed`, `modified`, `untracked`, `not-in-repository`, `unavailable`, `not-checked`), `git-commit` (string or null: set only when the plan file is tracked and unmodified), `detail` (string or null)"),
                Field("binding", "string or null", "the environment binding the plan declares (`kube-context …, aws-account …`)"),
                Field("runbook", "string or null", "the plan's `runbook` URL"),
            ]
        case .environmentChecked:
            return [
                Field("what", "string", "what was checked (a Kubernetes context, an AWS account, …)"),
                Field("expected", "string", "the value the plan binds"), Field("command", "string", "the command that read it"),
                Field("found", "string or null", "the value found"), Field("matches", "boolean", "whether it matched"),
                Field("failure", "string, optional", "why it could not be read"),
            ]
        case .phaseStarted:
            return [
                Field("phase", "string", "`steady-state-before`, `method`, `steady-state-after`, `heartbeat`, `baseline`, `go-ahead` (a drill's operator steps at the head of `disaster`, before the injection), `heartbeat-lead`, `disaster`, `recovery`, `rpo`, `verify`, `failback`, `rollbacks` or `recovered-after-rollback`"),
                Field("seconds", "number, optional", "`heartbeat-lead`: how long markers are written before the disaster"),
            ]
        case .runInterrupted:
            return [Field("signal", "string", "the signal's name")]
        case .guardBreached:
            return [
                Field("message", "string", "the guard's failure message"), Field("observed", "any or null", "the value observed"),
                Field("expected", "string or null", "what was expected"), Field("failures", "number", "consecutive failures"),
            ]
        case .limitExceeded:
            return [
                Field("limit", "string", "which limit ran out, with its value"),
                Field("phase", "string, optional", "`rollbacks` when it was `limits.rollbacks`"),
            ]
        case .runEnded:
            return [
                Field("ending", "string", "`passed`, `failed`, `aborted`, `interrupted`, …"), Field("reason", "string", "why"),
                Field("exit-code", "number", "the process exit status"),
                Field("rollback", "string", "what the rollbacks achieved"),
                Field("precedence", "array of strings", "the endings, most severe first"),
                Field("recovered-after-rollback", "boolean or null", "the steady state after the rollbacks; null when not checked"),
            ]
        case .stepStarted:
            return [
                Field("phase", "string", "the phase the step runs in"), Field("kind", "string", "the driver key, `command` or `wait`"),
                Field("params", "object, optional", "driver steps: the resolved parameters (secrets masked)"),
                Field("seconds", "number, optional", "`wait` steps: how long"),
                Field("probe", "string, optional", "`until` steps: the probe's driver key"),
                Field("expect", "string, optional", "`until` steps: the probe's expectation"),
                Field("every-seconds", "number, optional", "`until` steps: the polling interval"),
                Field("timeout-seconds", "number, optional", "`until` and `manual` steps: the step's timeout"),
                Field("prompt", "string, optional", "`manual` steps: what the operator is asked"),
                Field("who", "string or null, optional", "`manual` steps: the role expected to answer"),
                Field("repeat", "object, optional", "steps with `repeat:`: `every-seconds`, `for-seconds`, `jitter-seconds`, `max-repetitions`"),
            ]
        case .stepEnded:
            return [
                Field("phase", "string", "the phase the step ran in"),
                Field("status", "string", "`ok`, `failed` or `cancelled`"), Field("seconds", "number", "how long it took"),
                Field("summary", "string, optional", "`ok`: the driver's one-line summary"),
                Field("output", "object, optional", "`ok`: the driver's output fields"),
                Field("error", "string, optional", "`failed`/`cancelled`: why"),
            ]
        case .probeResult:
            return [
                Field("probe", "string", "the probe's name"), Field("passed", "boolean", "whether the check passed"),
                Field("message", "string", "what was seen"), Field("attempts", "number", "attempts made"),
                Field("seconds", "number", "how long the check took"), Field("observed", "any, optional", "the value observed"),
                Field("expected", "string, optional", "what was expected"),
                Field("role", "string, optional", "`steady-state-before`, `steady-state-after`, `steady-state-baseline`, `steady-state-after-rollback`, `steady-state-after-failback`, `guard`, `recovered`, `verify` or `until`"),
                Field("attempt", "number, optional", "`until` steps: which attempt this was"),
            ]
        case .trafficTotal:
            return [
                Field("role", "string", "`guard` or `recovered`"), Field("requests", "number", "requests whose outcome is known"),
                Field("ok", "number", "requests that succeeded"), Field("errors", "number", "requests that failed"),
                Field("success", "number or null", "percent that succeeded; null when none finished"),
                Field("p50", "number or null", "median latency, seconds"), Field("p95", "number or null", "95th percentile latency, seconds"),
                Field("p99", "number or null", "99th percentile latency, seconds"), Field("max", "number or null", "slowest request, seconds"),
                Field("rate", "number", "requests per second achieved"), Field("seconds", "number", "the span the stream ran"),
                Field("error-kinds", "object", "failed requests by kind"), Field("statuses", "object", "responses by status code"),
                Field("line", "string", "the figures in one line, as the console shows them"),
            ]
        case .untilEnded:
            return [
                Field("passed", "boolean", "whether the probe passed before the timeout"),
                Field("attempts", "number", "executions made"), Field("journaled-attempts", "number", "of those, how many have a `probe.result`"),
                Field("seconds", "number", "how long the step polled"), Field("message", "string", "the last execution's message"),
                Field("observed", "any or null", "the last value observed"), Field("expected", "string or null", "what was expected"),
                Field("timeout-seconds", "number", "the step's timeout"),
            ]
        case .repeatStarted:
            return [
                Field("index", "number", "the repetition, from 1"),
                Field("offset-seconds", "number", "when it started, counted from the first repetition"),
            ]
        case .repeatEnded:
            return [
                Field("index", "number", "the repetition, from 1"), Field("status", "string", "`ok`, `failed` or `cancelled`"),
                Field("seconds", "number", "how long it took"), Field("summary", "string, optional", "`ok`: the driver's summary"),
                Field("error", "string, optional", "`failed`/`cancelled`: why"),
            ]
        case .manualWaiting:
            return [
                Field("prompt", "string", "what the operator is asked (secrets masked)"), Field("who", "string or null", "the role expected to answer"),
                Field("timeout-seconds", "number", "how long the step waits"),
                Field("answer-with", "string or null", "the `firedrill confirm` command that answers it"),
                Field("terminal", "boolean", "whether the runner's terminal also takes the answer"),
            ]
        case .manualAnswered:
            return [
                Field("answer", "string", "`approved` or `rejected`"), Field("operator", "string", "who answered"),
                Field("comment", "string or null", "the operator's comment"), Field("answered-at", "string", "when, RFC 3339 UTC"),
                Field("via", "string", "`confirm` or `terminal`"), Field("waited-seconds", "number", "how long the drill waited"),
            ]
        case .manualTimedOut:
            return [
                Field("timeout-seconds", "number", "how long the step waited"), Field("who", "string or null", "the role that did not answer"),
            ]
        case .targetsResolved:
            return [
                Field("criterion", "string, optional", "how targets were selected"),
                Field("matched", "number, optional", "how many candidates matched"),
                Field("picked", "array, optional", "the targets picked"),
                Field("…", "driver-specific", "other members the driver names (workload, service, cluster, …)"),
            ]
        case .floodOpened:
            return [Field("…", "driver-specific", "how many connections were requested, opened, refused and failed, and how long it took")]
        case .proxyCounters:
            return [
                Field("proxy", "string", "the proxy's name"), Field("listen", "string", "the address it listens on"),
                Field("upstream", "string", "the address it forwards to"), Field("seconds", "number", "seconds since it started"),
                Field("final", "boolean", "true for the count written when it stopped"),
                Field("connections", "number", "connections accepted and forwarded"), Field("active", "number", "connections open now"),
                Field("refused", "number", "connections refused or reset on accept by the `refuse` toxic"),
                Field("upstream-failures", "number", "connections reset because the upstream could not be reached (or the runner was out of descriptors)"),
                Field("last-upstream-failure", "string or null", "why the latest of them failed (`connection refused`, `timed out`, `socket: Too many open files`)"),
                Field("bytes-upstream", "number", "bytes read from clients"), Field("bytes-downstream", "number", "bytes read from the upstream"),
                Field("blackholed-bytes", "number", "bytes the `blackhole` toxic dropped"),
                Field("toxics", "object", "per toxic: connections it acted on (`latency`, `bandwidth`, `blackhole`, `slow-close`), resets done (`reset-peer`), connections refused or listener closures (`refuse`)"),
                Field("set", "object", "the toxics in force, by direction (`upstream`, `downstream`): their parameters, durations in seconds"),
            ]
        case .undoIntent:
            return [
                Field("id", "number", "the undo's id, unique in the run"), Field("key", "string", "the driver key that undoes it"),
                Field("params", "object", "the undo's parameters"), Field("description", "string", "what undoing does"),
                Field("restoration", "boolean, optional", "true: applied by a rollback or failback step, never owed"),
                Field("cleanup", "boolean, optional", "true: a cleanup that is owed even for a restoration"),
            ]
        case .undoStarted:
            return [Field("id", "number", "the undo's id"), Field("description", "string", "what undoing does")]
        case .undoDone:
            return [Field("id", "number", "the undo's id"), Field("how", "string", "what was done")]
        case .undoFailed:
            return [Field("id", "number", "the undo's id"), Field("error", "string", "why it failed")]
        case .rollbacksSkipped:
            return [
                Field("policy", "string, optional", "the rollback policy that skipped them"),
                Field("pending-undos", "number, optional", "undos left owed"),
                Field("reason", "string, optional", "why, when no policy skipped them"),
            ]
        case .recoveryChecked, .failbackVerified:
            return [
                Field(self == .recoveryChecked ? "recovered" : "ok", "boolean", "whether the steady state held"),
                Field("failures", "array of strings", "the failed checks"),
            ]
        case .heartbeatStarted:
            return [
                Field("table", "string", "the marker table"), Field("every", "number", "seconds between markers"),
                Field("run-id", "string", "the run id the markers carry"),
                Field("lead", "number", "seconds of markers before the disaster"),
                Field("lead-source", "string", "where the lead comes from"),
            ]
        case .heartbeatStopped:
            return [
                Field("attempted", "number", "markers attempted"), Field("acknowledged", "number", "markers acknowledged"),
                Field("failed", "number", "markers that failed"),
                Field("newest-acknowledged-seq", "number or null", "the newest acknowledged marker"),
                Field("newest-acknowledged-at", "number or null", "its wall time, seconds since 1970"),
                Field("first-acknowledged-at", "number or null", "the first acknowledged marker's wall time"),
            ]
        case .drillInjected:
            return [Field("wall", "number", "wall time of the injection, seconds since 1970")]
        case .recoveryRunbookDone:
            return []
        case .drillDetected:
            return [Field("mono", "number", "the failed check's `mono`"), Field("message", "string", "what the probe saw")]
        case .drillFirstHealthy:
            return [Field("mono", "number", "the passing check's `mono`")]
        case .drillStable:
            return [
                Field("mono", "number", "`mono` of the first check of the passing streak"),
                Field("consecutive", "number", "passes required"),
                Field("outage-detected", "boolean", "whether an outage was seen first"),
            ]
        case .rtoMeasured:
            return [
                Field("seconds", "number or null", "the RTO: `stable` − `injected`"),
                Field("met", "boolean or null", "whether the objective was met"),
                Field("verdict", "string, optional", "`met`, `not-met` or `inconclusive`"),
                Field("objective", "number or null, optional", "`objectives.rto` in seconds"),
                Field("injected", "number, optional", "`mono` of the injection"), Field("stable", "number, optional", "`mono` of recovery"),
                Field("detected", "number, optional", "`mono` the outage was seen"),
                Field("first-healthy", "number, optional", "`mono` of the first passing check"),
                Field("detection-seconds", "number, optional", "`detected` − `injected`"),
                Field("repair-seconds", "number, optional", "`stable` − `detected`"),
                Field("outage-detected", "boolean, optional", "whether an outage was seen"),
                Field("definition", "string, optional", "how the RTO is defined"),
                Field("reason", "string, optional", "why there is no figure"),
            ]
        case .rpoBefore:
            return [
                Field("before", "any, optional", "the baseline value"),
                Field("error", "string, optional", "why it could not be read"),
            ]
        case .rpoMeasured:
            return [
                Field("mode", "string, optional", "`heartbeat`, `query` or `backup`"),
                Field("seconds", "number or null", "the RPO"), Field("bound", "string, optional", "whether the figure is exact or a bound"),
                Field("summary", "string, optional", "one line on the measurement"), Field("detail", "any, optional", "the meter's detail"),
                Field("objective", "number, optional", "`objectives.rpo` in seconds"),
                Field("verdict", "string, optional", "`met`, `not-met` or `inconclusive`"),
                Field("met", "boolean or null, optional", "whether the objective was met"),
                Field("error", "string, optional", "why it could not be measured"),
            ]
        case .failbackStopped:
            return [
                Field("skipped", "array of strings", "the failback steps not run"),
                Field("reason", "string", "what to do by hand"),
            ]
        case .recoverStarted:
            return [
                Field("initiator", "string", "who ran `recover`"), Field("pending-undos", "number", "undos owed"),
                Field("operator", "object, optional", "as in `run.record`: the operator (`--operator` or `$FIREDRILL_OPERATOR`), OS user and host"),
                Field("pending-rollbacks", "array of strings", "rollback steps owed"),
                Field("repaired-torn-tail", "number or null", "bytes of a torn final line cut off"),
            ]
        case .recoverEnded:
            return [Field("failures", "number", "undos and rollback steps that failed")]
        case .journalCheckpoint, .journalSealed:
            var fields = [
                Field("count", "number", "the events it covers: every event before it (its `seq` − 1)"),
                Field("head", "string", "the hash of the event before it (equal to its `prev`)"),
                Field("key", "string or null", "the signing key's fingerprint; null when unsigned"),
                Field("public-key", "string, optional", "signed: the public key, base64 of its 32 raw bytes"),
                Field("signature", "string or null", "signed: base64 ed25519 signature of `firedrill-journal-v1\\n` followed by this event's canonical line with `signature` set to `\"\"`; null when unsigned"),
            ]
            if self == .journalCheckpoint {
                fields.append(Field("every-events", "number", "the checkpoint policy: events between checkpoints"))
                fields.append(Field("every-seconds", "number", "the checkpoint policy: seconds after the first uncovered event"))
            } else {
                fields.append(Field("by", "string", "`run` or `recover`: who wrote the seal"))
            }
            return fields
        case .journalTornLineDiscarded:
            return [
                Field("line", "number", "the line number the fragment occupied"), Field("bytes", "number", "its length"),
                Field("text", "string", "the fragment, up to 4 KiB, invalid UTF-8 replaced"),
            ]
        case .effectSeen:
            return [
                Field("probe", "string", "the effect check"), Field("observed", "any or null", "what it observed"),
                Field("message", "string", "the probe's message"), Field("expected", "string or null", "its expectation"),
            ]
        case .effectNotSeen:
            return [
                Field("probe", "string", "the effect check"), Field("passes-needed", "number", "consecutive passes it needed"),
                Field("message", "string", "why the run is inconclusive, with the last observation"),
                Field("observed", "any or null", "the last value observed"), Field("expected", "string or null", "its expectation"),
            ]
        case .notifyDelivered, .notifyFailed:
            return [
                Field("event", "string", "`started`, `guard-breached`, `aborted`, `ended` or `rollback-failed`"),
                Field("target", "string", "the receiver, without its URL"), Field("attempts", "number", "delivery attempts made"),
                Field("status", "number, optional", "the receiver's HTTP status"), Field("error", "string, optional", "why it failed"),
            ]
        }
    }
}

extension JournalEvent {
    /// The event's type in the vocabulary; nil for a type this build does not know.
    public var eventType: JournalEventType? { JournalEventType(rawValue: type) }

    /// Whether the event is of type `type`.
    public func `is`(_ type: JournalEventType) -> Bool { self.type == type.rawValue }

    /// The `data` members its type does not declare, sorted; nil when the type is not in the vocabulary.
    public var undeclaredFields: [String]? {
        guard let eventType else { return nil }
        return (data.objectValue?.keys.sorted() ?? []).filter { !eventType.declares($0) }
    }
}
