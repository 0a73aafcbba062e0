extension DriverCatalog {
    public static let processTarget: [ParamSpec] = [
        ParamSpec("pid", .integer(min: 2, max: nil), "a process id"),
        ParamSpec("pidfile", .string, "a file whose first line is the process id (postmaster.pid works)"),
        ParamSpec("match", .regex, "a regular expression over /proc/<pid>/cmdline (arguments joined by spaces)"),
    ]

    public static let processRules: [ParamRule] = [.exactlyOne(["pid", "pidfile", "match"])] + selectionRules

    public static let process: [DriverSpec] = [
        DriverSpec(
            "process.kill", role: .step, "Sends a signal to local processes.",
            timeout: "30s",
            params: processTarget + [
                ParamSpec("signal", .signal, default: "KILL", "the signal to send"),
            ] + selection(),
            rules: processRules
        ),
        DriverSpec(
            "process.pause", role: .step, "Stops local processes with SIGSTOP and resumes them with SIGCONT after `for`.",
            timeout: "none",
            params: processTarget + [
                ParamSpec("for", .duration, required: true, "how long the processes stay paused"),
            ] + selection(),
            rules: processRules,
            undo: "SIGCONT to every paused process"
        ),
        DriverSpec(
            "process.restart", role: .step, "Stops local processes and starts the same command line again.",
            timeout: "60s",
            params: processTarget + [
                ParamSpec("signal", .signal, default: "TERM", "the signal that stops the process"),
                ParamSpec("grace", .duration, default: "10s", "how long to wait for it to exit before SIGKILL"),
            ] + selection(),
            rules: processRules
        ),
    ]

    public static let flood: [DriverSpec] = [
        DriverSpec(
            "flood.tcp", role: .step, "Opens and holds many TCP connections.",
            timeout: "none",
            params: [
                ParamSpec("host", .string, required: true, "host name or address"),
                ParamSpec("port", .integer(min: 1, max: 65535), required: true, "TCP port"),
                ParamSpec("connections", .integer(min: 1, max: 1_000_000), required: true, "how many connections to open"),
                ParamSpec("open-rate", .rate, "how fast to open them (as fast as possible when absent)"),
                ParamSpec("hold", .duration, required: true, "how long to hold them open"),
            ],
            undo: "every connection closed"
        ),
        DriverSpec(
            "flood.http", role: .step, "Sends a flood of HTTP requests.",
            timeout: "none",
            params: [
                ParamSpec("url", .url, required: true, "the URL to request"),
                ParamSpec("method", .enumeration(["GET", "HEAD", "POST"]), default: "GET", "HTTP method"),
                ParamSpec("rate", .rate, "requests per second"),
                ParamSpec("concurrency", .integer(min: 1, max: 4096), "requests in flight at once"),
                ParamSpec("for", .duration, required: true, "how long the flood lasts"),
            ],
            rules: [.exactlyOne(["rate", "concurrency"])],
            undo: "requests stopped"
        ),
        DriverSpec(
            "flood.postgres", role: .step, "Opens PostgreSQL connections until `connections` or until the server refuses, then holds them.",
            timeout: "none",
            params: [
                ParamSpec("dsn", .dsn, required: true, "connection URI or conninfo"),
                ParamSpec("connections", .countOrMax, required: true, "how many to open; `max` opens until the server says too many clients"),
                ParamSpec("hold", .duration, required: true, "how long to hold them open"),
                ParamSpec("open-rate", .rate, "how fast to open them"),
            ],
            undo: "every connection closed"
        ),
    ]
}
