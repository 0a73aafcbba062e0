import FiredrillCore
import FiredrillDrivers
import FiredrillTestSupport
import Foundation
import Testing

/// Runs plans through the built `firedrill` binary as a user would, in a temporary directory, and reads back the
/// journal. With a `prefix` (`runuser -u postgres --` when the tests run as root, because PostgreSQL refuses to
/// run as root) the run, and every command its steps start, runs as the PostgreSQL server's OS user; the directory
/// is then owned by that user so the run directory can be written.
struct DrillHarness {
    let binary: String
    let directory: String
    let prefix: [String]

    init(prefix: [String] = [], label: String) throws {
        binary = try FiredrillBinary.path()
        directory = try TempDirectory.make(prefix: "firedrill-drill-\(label)")
        self.prefix = prefix
        if !prefix.isEmpty { try Self.giveToServerUser(directory) }
    }

    /// A plan from the package's `drills/` folder.
    static func examplePlan(_ name: String) -> String {
        FiredrillBinary.packageRoot() + "/drills/" + name
    }

    /// Writes `text` as a plan file in the harness directory.
    func writePlan(_ text: String, name: String) throws -> String {
        let path = directory + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// `firedrill run PLAN --report-dir DIR --quiet [ARGUMENTS] --var k=v…`, waiting at most `timeout`; `password` is given to
    /// libpq (and to servers the plan starts) as PGPASSWORD, so no connection string carries it.
    /// `arguments` go after the fixed ones (`--allow-production`); `environment` on top of the test's own.
    func run(_ plan: String, vars: [String: String], password: String? = nil, runName: String = "run",
             arguments: [String] = [], environment extra: [String: String] = [:],
             timeout: Duration = .seconds(240)) async throws -> DrillRun {
        let runDirectory = directory + "/" + runName
        var argv = prefix + [binary, "run", plan, "--report-dir", runDirectory, "--quiet"] + arguments
        for (key, value) in vars.sorted(by: { $0.key < $1.key }) { argv += ["--var", "\(key)=\(value)"] }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }.merging(extra) { $1 }
        if let password { environment["PGPASSWORD"] = password }
        let (status, output) = try await Self.execute(argv, environment: environment, workingDirectory: directory,
                                                      outputPath: directory + "/\(runName).out", timeout: timeout)
        let contents = try JournalReader.read(at: URL(fileURLWithPath: runDirectory + "/journal.jsonl"))
        return DrillRun(status: status, output: output, runDirectory: runDirectory, events: contents.events,
                        journalValid: contents.verification.isValid)
    }

    /// `firedrill verify RUN_DIR`: the journal's hash chain holds. Returns the exit status.
    func verify(_ run: DrillRun) async throws -> Int32? {
        try await Self.execute([binary, "verify", run.runDirectory], outputPath: directory + "/verify.out", timeout: .seconds(30)).status
    }

    /// Runs `argv` to completion (output to `outputPath`); kills its process group if it overruns `timeout`.
    @discardableResult
    static func execute(_ argv: [String], environment: [String: String]? = nil, workingDirectory: String? = nil,
                        outputPath: String, timeout: Duration) async throws -> (status: Int32?, output: String) {
        let process = try await ProcessLauncher().launch(ProcessLaunchSpec(
            arguments: argv, environment: environment, workingDirectory: workingDirectory, outputPath: outputPath))
        let termination = try await process.waitForExit(timeout: timeout)
        if termination == nil {
            kill(-process.pid, SIGKILL)
            _ = try await process.waitForExit(timeout: .seconds(5))
        }
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        guard case .exited(let code)? = termination else { return (nil, output) }
        return (code, output)
    }

    /// Hands `path` to the `postgres` OS user (only called when running as root).
    static func giveToServerUser(_ path: String) throws {
        guard let entry = getpwnam("postgres") else { throw HarnessError("no `postgres` OS user to run PostgreSQL as") }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw HarnessError("chown postgres \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// A libpq connection string over TCP without the password (it travels as PGPASSWORD).
    static func dsn(_ server: PostgresFixture) -> String {
        "host=\(server.host) port=\(server.port) user=\(server.user) dbname=\(server.database) sslmode=disable connect_timeout=10"
    }

    /// Makes `orders` (ordered id, payload, created_at) with `rows` rows on `server`.
    static func makeOrders(on server: PostgresFixture, rows: Int) async throws {
        let connection = try await PGConnection.connect(server.conninfo)
        defer { Task { await connection.close() } }
        _ = try await connection.query("""
            CREATE TABLE orders (id bigserial PRIMARY KEY, payload text NOT NULL,
                                 created_at timestamptz NOT NULL DEFAULT now())
            """)
        _ = try await connection.query("INSERT INTO orders (payload) SELECT 'order ' || g FROM generate_series(1, $1::int) g", [String(rows)])
    }

    /// One scalar from `server` (fresh connection).
    static func scalar(_ server: PostgresFixture, _ sql: String) async throws -> String? {
        let connection = try await PGConnection.connect(server.conninfo, timeout: .seconds(10))
        defer { Task { await connection.close() } }
        return try await connection.scalar(sql)
    }

    /// Polls `condition` every 100ms for at most `timeout`.
    static func waitUntil(_ what: String, timeout: Duration = .seconds(30), _ condition: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("timed out after \(timeout) waiting until \(what)")
    }
}

/// A failure of the test harness itself, with what it was doing.
struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// One finished `firedrill run`: its exit status, console output and journal.
struct DrillRun {
    let status: Int32?
    let output: String
    let runDirectory: String
    let events: [JournalEvent]
    let journalValid: Bool

    func first(_ type: String, step: String? = nil) -> JournalEvent? {
        events.first { $0.type == type && (step == nil || $0.step == step) }
    }

    var ending: String? { first("run.ended")?.data["ending"]?.stringValue }

    /// A compact account for failure messages: the ending, the output and the step and probe failures.
    var account: String {
        let failures = events.filter {
            ($0.type == "step.ended" && $0.data["status"] != "ok") || ($0.type == "probe.result" && $0.data["passed"] == false)
        }.prefix(12).map { "\($0.type) \($0.step ?? ""): \($0.data["error"]?.stringValue ?? $0.data["message"]?.stringValue ?? "")" }
        return "exit \(status.map(String.init) ?? "none"), ending \(ending ?? "none")\n\(output)\n" + failures.joined(separator: "\n")
    }

    /// An event's wall-clock time, seconds since 1970.
    static func wall(_ event: JournalEvent) -> Double? {
        JournalClock.microseconds(rfc3339: event.time).map { Double($0) / 1e6 }
    }

    /// The verify probes' results (`role: verify`).
    var verifyResults: [JournalEvent] {
        events.filter { $0.type == "probe.result" && $0.data["role"] == "verify" }
    }
}
