/// The keys of every plan section that is not a driver: top level, probes, steps, limits, objectives and the drill
/// sections. Like the driver catalog, the validator, `firedrill schema` and the docs read this one declaration.
public enum PlanSchema {
    public static let topLevel: [ParamSpec] = [
        ParamSpec("apiVersion", .enumeration(["firedrill/v1"]), required: true, "format version"),
        ParamSpec("kind", .enumeration(["Experiment", "Drill"]), required: true, "what the plan is"),
        ParamSpec("name", .string, required: true, "id: lowercase letters, digits and '-'"),
        ParamSpec("title", .string, required: true, "one line a newcomer understands"),
        ParamSpec("description", .string, "what is tested, why, and what a pass means"),
        ParamSpec("owner", .string, "team that owns the plan"),
        ParamSpec("tags", .stringList, "free labels"),
        ParamSpec("environment", .oneOf([.string, .stringMap]), required: true, "where it runs (or { name, kube-context, aws-account }); a protected name needs --allow-production"),
        ParamSpec("participants", .stringList, "people or roles taking part (drills)"),
        ParamSpec("runbook", .url, "http(s) URL of the runbook the plan exercises, linked from every report"),
        ParamSpec("schedule", .stringMap, "{ cron, timezone } for recurring drills"),
        ParamSpec("notify", .stringList, "webhooks and Slack incoming webhooks told when the run starts, breaches a guard, aborts, ends or fails a rollback"),
        ParamSpec("objectives", .stringMap, "{ rto, rpo } (drills)"),
        ParamSpec("limits", .stringMap, "{ duration, max-targets, rollbacks } hard ceilings"),
        ParamSpec("vars", .stringMap, "values substituted as ${name}"),
        ParamSpec("secrets", .stringMap, "name: { env: VAR } or { file: path }, substituted as ${secret.name} and never shown"),
        ParamSpec("steady-state", .steps, "probes that must hold before and after"),
        ParamSpec("guards", .steps, "probes watched during the method; a breach aborts"),
        ParamSpec("effect", .steps, "experiment: probes that must see the fault during the method; one that never does makes the run inconclusive"),
        ParamSpec("method", .steps, "experiment: the steps that inject the fault"),
        ParamSpec("rollbacks", .steps, "steps run on every ending"),
        ParamSpec("heartbeat", .stringMap, "drill: RPO markers written from before the disaster"),
        ParamSpec("disaster", .steps, "drill: the steps that cause the disaster; the RTO clock starts here"),
        ParamSpec("recovery", .steps, "drill: the runbook, each step timed"),
        ParamSpec("recovered", .stringMap, "drill: the probe that says service is back; RTO stops at its first of N consecutive passes"),
        ParamSpec("expect-outage", .boolean, default: "true", "drill: whether `recovered` must see an outage; without one the drill is inconclusive unless this is false"),
        ParamSpec("rpo", .stringMap, "drill: how data loss is measured: heartbeat, query or backup"),
        ParamSpec("verify", .steps, "drill: integrity probes after recovery"),
        ParamSpec("failback", .steps, "drill: steps that return to the original topology"),
    ]

    /// Keys that only a Drill may use.
    public static let drillOnly: Set<String> = ["expect-outage", "heartbeat", "disaster", "recovery", "recovered", "rpo", "verify", "failback", "objectives", "participants"]
    /// Keys that only an Experiment may use.
    public static let experimentOnly: Set<String> = ["method", "effect"]

    public static let probeCommon: [ParamSpec] = [
        ParamSpec("name", .string, "a name other probes and reports refer to"),
        ParamSpec("use", .string, "reuse a steady-state probe by name (guards, effect, recovered, verify)"),
        ParamSpec("expect", .tolerance, "the tolerance the observed value must meet"),
        ParamSpec("timeout", .duration, "timeout of one probe execution (default per driver); in `recovered`, the deadline for the whole recovery"),
        ParamSpec("every", .duration, default: "1s", "interval between executions (guards, effect, recovered, retries)"),
        ParamSpec("attempts", .integer(min: 1, max: 100_000), default: "1", "retry until met, at most this many times"),
        ParamSpec("initial-delay", .duration, default: "0s", "wait before the first execution"),
        ParamSpec("consecutive", .integer(min: 1, max: 10_000), default: "1", "passes in a row needed"),
        ParamSpec("tolerate", .integer(min: 0, max: 10_000), default: "0", "guards: consecutive failures allowed; the next one aborts"),
    ]

    public static let stepCommon: [ParamSpec] = [
        ParamSpec("name", .string, "step name, unique in the plan; `${steps.NAME.…}` reads its results"),
        ParamSpec("timeout", .duration, "timeout of the step (default per driver)"),
        ParamSpec("on-error", .enumeration(["fail", "continue"]), default: "fail", "whether a failed step ends the run"),
        ParamSpec("repeat", .stringMap, "method and disaster steps: run again `every` (± `jitter`) `for` a fault window, e.g. `{ every: 30s, for: 5m, jitter: 5s }`"),
    ]

    /// `repeat:` on a step.
    public static let repeatKeys: [ParamSpec] = [
        ParamSpec("every", .duration, required: true, "the interval between the starts of two repetitions"),
        ParamSpec("for", .duration, required: true, "the fault window: no repetition starts after it, counted from the first"),
        ParamSpec("jitter", .duration, default: "0s", "each interval moves by a random amount up to this, either way"),
    ]

    public static let limits: [ParamSpec] = [
        ParamSpec("duration", .duration, default: "1h", "everything before rollbacks, steady state included; exceeding it aborts"),
        ParamSpec("max-targets", .integer(min: 1, max: nil), default: "10", "most targets any one step may touch; more aborts before anything is touched"),
        ParamSpec("rollbacks", .duration, default: "10m", "failback, undos and rollbacks together; what is left when it passes stays owed for `firedrill recover`"),
    ]

    public static let objectives: [ParamSpec] = [
        ParamSpec("rto", .duration, "recovery time objective"),
        ParamSpec("rpo", .duration, "recovery point objective"),
    ]

    public static let schedule: [ParamSpec] = [
        ParamSpec("cron", .string, required: true, "five-field cron expression"),
        ParamSpec("timezone", .string, default: "UTC", "IANA time zone, e.g. Europe/Berlin"),
    ]

    /// One `notify:` entry.
    public static let notify: [ParamSpec] = [
        ParamSpec("webhook", .string, "URL that receives a JSON body per event (may use `${secret.NAME}`)"),
        ParamSpec("slack", .string, "Slack incoming webhook URL that receives a readable message (keep it in `secrets`)"),
        ParamSpec("events", .stringList, default: "all", "which of started, guard-breached, aborted, ended, rollback-failed"),
        ParamSpec("announce", .enumeration(["required", "best-effort"]), default: "best-effort",
                  "`required`: refuse to inject when the `started` announcement cannot be delivered"),
    ]

    public static let secretSource: [ParamSpec] = [
        ParamSpec("env", .string, "environment variable holding the secret"),
        ParamSpec("file", .string, "file holding the secret (trailing newline removed)"),
    ]

    public static let heartbeat: [ParamSpec] = [
        ParamSpec("postgres", .stringMap, required: true, "PostgreSQL markers"),
        ParamSpec("lead", .duration, default: "2 × objectives.rpo", "how long markers are written before the disaster; a loss up to this long is measured, a longer one is a lower bound"),
    ]

    public static let heartbeatPostgres: [ParamSpec] = [
        ParamSpec("dsn", .dsn, required: true, "the primary the markers are written to"),
        ParamSpec("every", .duration, default: "200ms", "marker interval"),
        ParamSpec("table", .string, default: "firedrill_heartbeat", "marker table (created if missing)"),
    ]

    public static let rpoHeartbeat: [ParamSpec] = [
        ParamSpec("dsn", .dsn, required: true, "where the surviving markers are read after recovery"),
        ParamSpec("table", .string, default: "firedrill_heartbeat", "marker table"),
    ]

    public static let rpoQuery: [ParamSpec] = [
        ParamSpec("dsn", .dsn, required: true, "the recovered database"),
        ParamSpec("query", .string, required: true, "a query returning the newest timestamp, e.g. SELECT max(created_at) FROM orders; run on the primary just before the disaster and on the recovered side after"),
        ParamSpec("primary", .dsn, "where the query runs just before the disaster (default: dsn)"),
    ]

    public static let rpoBackup: [ParamSpec] = [
        ParamSpec("pgbackrest-stanza", .string, "read the newest backup's stop time from `pgbackrest info --output=json`"),
        ParamSpec("manifest", .string, "read it from a backup manifest file (pg_basebackup's backup_manifest or a JSON with stop-time)"),
    ]
}
