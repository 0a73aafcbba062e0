extension DriverCatalog {
    public static let tlsParams: [ParamSpec] = [
        ParamSpec("tls-verify", .boolean, default: "true", "verify the server certificate and host name"),
        ParamSpec("ca-file", .string, "CA bundle to verify the server against"),
        ParamSpec("client-cert", .string, "client certificate file (PEM) for mutual TLS"),
        ParamSpec("client-key", .string, "client private key file (PEM)"),
    ]

    /// What a query's number means, so `expect` can be checked against it: a Prometheus error ratio is a `ratio`
    /// (0–1), a latency in seconds a `duration`.
    public static let unitParam = ParamSpec("unit", .enumeration(FieldKind.declarable.map(\.rawValue)),
                                     "the unit of the query's value: `ratio` (0–1), `percent` (0–100), `duration` (seconds), `bytes`, `count`, `rate` (per second) or `number`; without it, `expect` may compare `value` only with plain numbers")

    public static let probes: [DriverSpec] = [
        DriverSpec(
            "http", role: .probe, "An HTTP request through libcurl: status, headers, body, JSON and latency.",
            timeout: "10s",
            params: [
                ParamSpec("url", .url, required: true, "the URL to request"),
                ParamSpec("method", .enumeration(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]), default: "GET", "HTTP method"),
                ParamSpec("headers", .stringMap, "request headers"),
                ParamSpec("body", .string, "request body"),
                ParamSpec("follow-redirects", .boolean, default: "false", "follow 3xx redirects"),
                ParamSpec("max-body", .byteSize, default: "1MiB", "keep at most this much of the response body"),
            ] + tlsParams,
            fields: [
                ProbeField("status", .number, "the HTTP status code"),
                ProbeField("headers", .object, "response headers, by lower-case name"),
                ProbeField("body", .string, "the response body (at most `max-body`)"),
                ProbeField("json", .object, "the body parsed as JSON, when it parses"),
                ProbeField("latency", .duration, "the whole request"),
                ProbeField("dns", .duration, "name lookup done, since the request started"),
                ProbeField("connect", .duration, "connected, since the request started"),
                ProbeField("tls", .duration, "TLS handshake done, since the request started"),
                ProbeField("first-byte", .duration, "first response byte, since the request started"),
            ]
        ),
        DriverSpec(
            "tcp", role: .probe, "Opens a TCP connection and closes it.",
            timeout: "5s",
            params: [
                ParamSpec("host", .string, required: true, "host name or address"),
                ParamSpec("port", .integer(min: 1, max: 65535), required: true, "TCP port"),
            ],
            fields: [
                ProbeField("connected", .boolean, "whether the connection was accepted"),
                ProbeField("latency", .duration, "time to connect"),
            ]
        ),
        DriverSpec(
            "postgres", role: .probe, "A PostgreSQL check through libpq: connect only, a scalar query, or a built-in metric.",
            timeout: "10s",
            params: [
                ParamSpec("dsn", .dsn, required: true, "connection URI or conninfo (service files, .pgpass and sslmode work as with psql)"),
                ParamSpec("query", .string, "a query returning one value; without it the probe only connects"),
                ParamSpec("params", .stringList, "bind parameters $1, $2… for the query"),
                ParamSpec("metric", .enumeration(["replication-lag", "connections"]), "a built-in: replication lag (value = lag-seconds; also lag-bytes and standbys), or connections in use as a percentage of max_connections"),
                ParamSpec("silent-after", .duration, default: "1s", "replication-lag on a primary: a standby that has not confirmed flushed WAL and has not replied for longer than this counts as lagging by at least its silence"),
                ParamSpec("statement-timeout", .duration, "server-side statement timeout"),
                unitParam,
            ],
            rules: [.atMostOne(["query", "metric"]), .atMostOne(["unit", "metric"])],
            fields: [
                ProbeField("value", .dynamic, "the query's single value (booleans as booleans, numbers as numbers, NULL as null); with `metric`, the lag as a duration or connections as a percent",
                           kindByParam: ["metric": ["replication-lag": .duration, "connections": .percent]]),
                ProbeField("latency", .duration, "connect and query"),
                ProbeField("connected", .boolean, "whether the connection succeeded"),
                ProbeField("lag-seconds", .duration, "`metric: replication-lag`: how far the most lagging standby is behind"),
                ProbeField("lag-bytes", .bytes, "`metric: replication-lag`: WAL not yet replayed by the most lagging standby"),
                ProbeField("standbys", .count, "`metric: replication-lag`: standbys connected to a primary"),
            ]
        ),
        DriverSpec(
            "command", role: [.probe, .step], "Runs a program (argv, never a shell string) in its own process group.",
            timeout: "60s",
            params: [
                ParamSpec("run", .argv, required: true, "program and arguments, as a list"),
                ParamSpec("env", .stringMap, "extra environment variables"),
                ParamSpec("cwd", .string, "working directory"),
                ParamSpec("ok-exit-codes", .stringList, default: "[0]", "exit codes that count as success for a step"),
            ],
            fields: [
                ProbeField("exit-code", .number, "the exit code (null when a signal ended it)"),
                ProbeField("signal", .string, "the signal that ended it, if one did"),
                ProbeField("stdout", .string, "standard output, as printed"),
                ProbeField("stderr", .string, "standard error, as printed"),
                ProbeField("duration", .duration, "how long it ran"),
                ProbeField("pid", .number, "its process id"),
            ],
            shorthand: "run"
        ),
        DriverSpec(
            "prometheus", role: .probe, "A PromQL instant query; a scalar or single-series vector becomes the value.",
            timeout: "10s",
            params: [
                ParamSpec("url", .url, required: true, "Prometheus base URL, e.g. http://127.0.0.1:9090"),
                ParamSpec("query", .string, required: true, "PromQL expression"),
                ParamSpec("headers", .stringMap, "request headers (e.g. Authorization)"),
                unitParam,
            ],
            fields: [
                ProbeField("value", .dynamic, "the scalar or single sample; its unit is the query's (declare it with `unit:`)"),
                ProbeField("series", .object, "the sample's labels"),
            ]
        ),
        DriverSpec(
            "traffic", role: .probe, "A stream of HTTP requests: success ratio and latency percentiles (HdrHistogram), open-loop at a rate (latency from each request's intended send instant) or closed-loop at a concurrency. A guard judges a sliding `window`; without `expect`, at least 99% must succeed.",
            timeout: "10m",
            params: [
                ParamSpec("url", .url, required: true, "the URL to request"),
                ParamSpec("method", .enumeration(["GET", "HEAD", "POST"]), default: "GET", "HTTP method"),
                ParamSpec("headers", .stringMap, "request headers"),
                ParamSpec("rate", .rate, "open-loop: requests per second, timed from their intended send instant"),
                ParamSpec("concurrency", .integer(min: 1, max: 4096), "closed-loop: requests in flight at once"),
                ParamSpec("for", .duration, default: "10s", "how long a steady-state measurement runs"),
                ParamSpec("window", .duration, default: "10s", "as a guard: the sliding window judged each time"),
                ParamSpec("request-timeout", .duration, default: "2s", "timeout of each request"),
                ParamSpec("success-status", .stringList, default: "[200-399]", "status codes or ranges that count as success"),
            ] + tlsParams,
            rules: [.exactlyOne(["rate", "concurrency"])],
            fields: [
                ProbeField("success", .percent, "share of requests that succeeded"),
                ProbeField("requests", .count, "requests whose outcome is known"),
                ProbeField("ok", .count, "requests that succeeded"),
                ProbeField("errors", .count, "requests that failed"),
                ProbeField("p50", .duration, "median latency, failed requests included"),
                ProbeField("p95", .duration, "95th percentile latency"),
                ProbeField("p99", .duration, "99th percentile latency"),
                ProbeField("max", .duration, "slowest request"),
                ProbeField("rate", .rate, "requests per second achieved"),
                ProbeField("seconds", .duration, "the span the figures cover"),
                ProbeField("error-kinds", .object, "failed requests by kind (`connection refused`, `timed out`, `5xx`…)"),
                ProbeField("statuses", .object, "responses by status code"),
            ]
        ),
    ]

    public static let control: [DriverSpec] = [
        DriverSpec(
            "wait", role: .step, "Waits. A guard breach cuts the wait short.",
            timeout: "none",
            params: [ParamSpec("for", .duration, required: true, "how long to wait")],
            shorthand: "for"
        ),
        DriverSpec(
            "parallel", role: .step, "Runs a list of steps together and waits for all of them.",
            timeout: "none",
            params: [ParamSpec("steps", .steps, required: true, "the steps to run together")],
            shorthand: "steps"
        ),
        DriverSpec(
            "until", role: .step,
            "Polls a probe until it passes (its `expect`, `consecutive` passes in a row): waiting for a node to rejoin, a failback to settle. Fails the step at `timeout`; a guard breach cuts it short.",
            timeout: "10m",
            params: [
                ParamSpec("probe", .probe, required: true, "the probe polled, with its `expect` (or `use: NAME` of a steady-state probe)"),
                ParamSpec("every", .duration, default: "2s", "how often the probe is executed"),
                ParamSpec("timeout", .duration, default: "10m", "when the step fails if the probe has not passed"),
            ]
        ),
        DriverSpec(
            "manual", role: .step,
            "Pauses the drill for a person: shows the prompt and waits for yes or no, typed on the terminal or given with `firedrill confirm RUN_DIR STEP` from anywhere. A rejection or the timeout fails the step.",
            timeout: "15m",
            params: [
                ParamSpec("prompt", .string, required: true, "what the operator is asked to do or decide"),
                ParamSpec("timeout", .duration, default: "15m", "when the step fails if nobody has answered"),
                ParamSpec("who", .string, "the role expected to answer (`incident-commander`), shown with the prompt and in the report"),
            ],
            shorthand: "prompt"
        ),
    ]
}
