import Foundation
import Synchronization

/// A real PostgreSQL server for tests, in its own temporary directory, listening only on 127.0.0.1 at a free
/// port (plus a unix socket inside the directory).
///
/// The cluster is made by `initdb` with one superuser, `user` (default `firedrill`), whose password is
/// `password`. TCP connections authenticate with scram-sha-256; unix-socket connections are trusted. The
/// server runs with `wal_level=replica` and replication allowed, so `makeStandby()` can stream from it.
/// `fsync` is off: the data is throwaway, and killing the server process (as drills do) loses nothing that
/// the operating system already holds.
///
/// PostgreSQL refuses to run as root: when the tests run as root, every PostgreSQL program runs as the
/// `postgres` OS user through `runuser -u postgres --`, and the temporary directory is owned by that user.
///
/// Always call `stop()` (it is idempotent); as a last resort the server is stopped when the fixture is
/// deallocated. If the PostgreSQL programs are not installed, `start` throws: tests fail, they do not skip.
public final class PostgresFixture: Sendable {
    /// How the server is set up.
    public struct Options: Sendable {
        public var maxConnections: Int
        public var user: String
        public var password: String
        /// More `postgresql.conf` settings, written as `name = value` (quote string values yourself).
        public var settings: [String: String]

        public init(maxConnections: Int = 50, user: String = "firedrill", password: String = "firedrill-test-password",
                    settings: [String: String] = [:]) {
            self.maxConnections = maxConnections
            self.user = user
            self.password = password
            self.settings = settings
        }
    }

    public let host = "127.0.0.1"
    public let port: Int
    public let user: String
    public let password: String
    public let database = "postgres"
    /// The temporary directory holding everything below; `stop()` removes it.
    public let directory: URL
    public let dataDirectory: URL
    public let socketDirectory: URL
    public let logFile: URL
    /// Where `initdb`, `pg_ctl`, `pg_basebackup` and `postgres` were found.
    public let binDirectory: URL
    /// The argv prefix that runs a PostgreSQL program as the owner of the data directory: `runuser -u
    /// postgres --` when running as root, empty otherwise.
    public let commandPrefix: [String]
    /// Whether this server is a streaming standby made by `makeStandby()` (until it is promoted).
    public let isStandby: Bool

    private let options: Options
    private let stopped = Mutex(false)

    private init(port: Int, options: Options, directory: URL, binDirectory: URL, commandPrefix: [String], isStandby: Bool) {
        self.port = port
        self.user = options.user
        self.password = options.password
        self.options = options
        self.directory = directory
        self.dataDirectory = directory.appendingPathComponent("data")
        self.socketDirectory = directory.appendingPathComponent("sock")
        self.logFile = directory.appendingPathComponent("postgres.log")
        self.binDirectory = binDirectory
        self.commandPrefix = commandPrefix
        self.isStandby = isStandby
    }

    deinit {
        stop()
    }

    // MARK: - Connection strings

    /// A libpq key=value connection string for `user` over TCP, password included.
    public var conninfo: String { conninfo() }

    /// A libpq key=value connection string over TCP; defaults to the fixture's superuser and password.
    public func conninfo(user: String? = nil, password: String? = nil, database: String? = nil) -> String {
        "host=\(host) port=\(port) user=\(user ?? self.user) password=\(password ?? self.password) "
            + "dbname=\(database ?? self.database) sslmode=disable connect_timeout=10"
    }

    /// The same as `conninfo`, as a `postgresql://` URI.
    public var uri: String {
        "postgresql://\(user):\(password)@\(host):\(port)/\(database)?sslmode=disable"
    }

    /// `postmaster.pid` in the data directory; its first line is the server's process id.
    public var postmasterPIDFile: URL { dataDirectory.appendingPathComponent("postmaster.pid") }

    /// The postmaster's process id while it runs.
    public var postmasterPID: pid_t? {
        guard let text = try? String(contentsOf: postmasterPIDFile, encoding: .utf8),
              let first = text.split(separator: "\n").first, let pid = pid_t(first),
              kill(pid, 0) == 0 else { return nil }
        return pid
    }

    /// The full argv of `pg_ctl` for this server's data directory, followed by `arguments`, run as the
    /// right OS user (for plans and drill steps in tests).
    public func pgCtlCommand(_ arguments: [String]) -> [String] {
        commandPrefix + [binDirectory.appendingPathComponent("pg_ctl").path, "-D", dataDirectory.path] + arguments
    }

    // MARK: - Life cycle

    /// Makes a new cluster and starts it.
    public static func start(_ options: Options = Options()) async throws -> PostgresFixture {
        try await FixtureCommand.offload { try startBlocking(options) }
    }

    private static func startBlocking(_ options: Options) throws -> PostgresFixture {
        let binDirectory = try PostgresBinaries.locate()
        let prefix = try PostgresBinaries.commandPrefix()
        let directory = try makeOwnedTemporaryDirectory(prefix: prefix)
        let fixture = PostgresFixture(port: try LoopbackPort.free(), options: options, directory: directory,
                                      binDirectory: binDirectory, commandPrefix: prefix, isStandby: false)
        do {
            try fixture.makeOwnedDirectory(fixture.socketDirectory)
            let passwordFile = directory.appendingPathComponent("pwfile")
            try fixture.writeOwnedFile(passwordFile, contents: options.password + "\n")
            try fixture.command([
                "initdb", "-D", fixture.dataDirectory.path, "-U", options.user, "--pwfile=\(passwordFile.path)",
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync",
            ]).check()
            try? FileManager.default.removeItem(at: passwordFile)
            try fixture.appendSettings(fixture.baseSettings())
            return try fixture.startServer()
        } catch {
            fixture.stop()
            throw error
        }
    }

    /// A streaming-replication standby of this server: `pg_basebackup -R` into a new temporary directory,
    /// started on its own port. With `throughPort`, the standby streams over TCP from `127.0.0.1:throughPort`
    /// (a `StallingTCPProxy` in front of this server) instead of from this server's socket. Stop it separately.
    public func makeStandby(throughPort: Int? = nil) async throws -> PostgresFixture {
        try await FixtureCommand.offload { try self.makeStandbyBlocking(throughPort: throughPort) }
    }

    private func makeStandbyBlocking(throughPort: Int?) throws -> PostgresFixture {
        let standbyDirectory = try Self.makeOwnedTemporaryDirectory(prefix: commandPrefix)
        let standby = PostgresFixture(port: try LoopbackPort.free(), options: options, directory: standbyDirectory,
                                      binDirectory: binDirectory, commandPrefix: commandPrefix, isStandby: true)
        do {
            try standby.makeOwnedDirectory(standby.socketDirectory)
            try standby.command([
                "pg_basebackup", "-h", socketDirectory.path, "-p", String(port), "-U", user,
                "-D", standby.dataDirectory.path, "-R", "-X", "stream", "-c", "fast", "--no-sync",
            ]).check()
            try standby.appendSettings(standby.baseSettings())
            if let throughPort {
                // `-R` wrote primary_conninfo into postgresql.auto.conf, which is read after postgresql.conf: the
                // later line there wins.
                try standby.appendSettings([("primary_conninfo", "'host=127.0.0.1 port=\(throughPort) user=\(user) password=\(password) sslmode=disable application_name=standby'")],
                                           file: "postgresql.auto.conf")
            }
            return try standby.startServer()
        } catch {
            standby.stop()
            throw error
        }
    }

    /// `pg_ctl promote`: turns a standby into a primary and waits until it accepts writes.
    public func promote() async throws {
        _ = try await FixtureCommand.offload {
            try self.command(["pg_ctl", "-D", self.dataDirectory.path, "-w", "-t", "60", "promote"]).check().status
        }
    }

    /// The end of the valid WAL in this server's `pg_wal`, read by `pg_waldump` from `start` (an LSN the WAL holds)
    /// to where it finds no further record: after the server was killed, the true end of everything it wrote. The
    /// operating system still holds what the server wrote even with `fsync` off, as long as the machine runs.
    public func endOfWAL(from start: String) async throws -> String {
        let outcome = try await FixtureCommand.offload {
            try self.command(["pg_waldump", "-p", self.dataDirectory.appendingPathComponent("pg_wal").path, "-s", start, "--quiet"]).run()
        }
        // pg_waldump stops at the first position holding no valid record: "… invalid record length at 0/3000F58:
        // wanted 24, got 0", which is the end of the last record.
        guard let range = outcome.output.range(of: #"invalid record length at [0-9A-F]+/[0-9A-F]+"#, options: .regularExpression) else {
            throw PostgresFixtureError.system(what: "pg_waldump from \(start)", detail: String(outcome.output.suffix(2000)))
        }
        return String(outcome.output[range].split(separator: " ").last ?? "")
    }

    /// Stops the server at once (`pg_ctl stop -m immediate`, then SIGKILL if the postmaster is still there) and
    /// removes the temporary directory. Safe to call more than once, and after the server was killed.
    public func stop() {
        let alreadyStopped = stopped.withLock { value in
            defer { value = true }
            return value
        }
        guard !alreadyStopped else { return }
        if FileManager.default.fileExists(atPath: postmasterPIDFile.path) {
            let pid = postmasterPID
            _ = try? command(["pg_ctl", "-D", dataDirectory.path, "-m", "immediate", "-w", "-t", "20", "stop"],
                             timeout: .seconds(30)).run()
            if let pid, kill(pid, 0) == 0 {
                kill(pid, SIGKILL)
            }
        }
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Helpers

    private func baseSettings() -> [(String, String)] {
        var settings: [(String, String)] = [
            ("listen_addresses", "'127.0.0.1'"),
            ("port", String(port)),
            ("unix_socket_directories", "'\(socketDirectory.path)'"),
            ("max_connections", String(options.maxConnections)),
            ("password_encryption", "'scram-sha-256'"),
            ("wal_level", "replica"),
            ("max_wal_senders", "10"),
            ("max_replication_slots", "10"),
            ("hot_standby", "on"),
            ("fsync", "off"),
            ("shared_buffers", "16MB"),
            ("logging_collector", "off"),
        ]
        settings += options.settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return settings
    }

    private func appendSettings(_ settings: [(String, String)], file name: String = "postgresql.conf") throws {
        let file = dataDirectory.appendingPathComponent(name)
        let text = "\n# firedrill test fixture\n" + settings.map { "\($0.0) = \($0.1)\n" }.joined()
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
    }

    /// `pg_ctl start`, waiting until the server accepts connections. A port taken in the meantime by another
    /// process is retried on a fresh port, up to three times.
    private func startServer() throws -> PostgresFixture {
        var current = self
        for attempt in 1...3 {
            let result = try current.command(["pg_ctl", "-D", dataDirectory.path, "-l", logFile.path, "-w", "-t", "60", "start"],
                                             timeout: .seconds(90)).run()
            if result.status == 0 { return current }
            let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? result.output
            let portTaken = log.contains("Address already in use") || log.contains("could not bind")
            guard portTaken, attempt < 3 else {
                throw PostgresFixtureError.startFailed(port: current.port, log: String(log.suffix(3000)))
            }
            let next = PostgresFixture(port: try LoopbackPort.free(), options: options, directory: directory,
                                       binDirectory: binDirectory, commandPrefix: commandPrefix, isStandby: isStandby)
            current.stopped.withLock { $0 = true }
            try next.appendSettings([("port", String(next.port))])
            current = next
        }
        throw PostgresFixtureError.startFailed(port: current.port, log: "")
    }

    /// A PostgreSQL program from `binDirectory`, run as the data directory's owner, with `PG*` variables of
    /// the test environment removed so they cannot redirect it.
    private func command(_ argv: [String], timeout: Duration = .seconds(120)) -> FixtureCommand {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("PG") }
        environment["LC_ALL"] = "C"
        let program = binDirectory.appendingPathComponent(argv[0]).path
        return FixtureCommand(commandPrefix + [program] + argv.dropFirst(), environment: environment,
                              currentDirectory: directory, timeout: timeout)
    }

    private static func makeOwnedTemporaryDirectory(prefix: [String]) throws -> URL {
        var template = Array(FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-pg-XXXXXX").path.utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in mkdtemp(buffer.baseAddress!) != nil }
        guard made else { throw PostgresFixtureError.system(what: "mkdtemp", detail: String(cString: strerror(errno))) }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        try PostgresBinaries.giveToServerUser(path, runningAsRoot: !prefix.isEmpty)
        return URL(fileURLWithPath: path)
    }

    private func makeOwnedDirectory(_ url: URL) throws {
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        try PostgresBinaries.giveToServerUser(url.path, runningAsRoot: !commandPrefix.isEmpty)
    }

    private func writeOwnedFile(_ url: URL, contents: String) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: Data(contents.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw PostgresFixtureError.system(what: "create \(url.path)", detail: "cannot create file")
        }
        try PostgresBinaries.giveToServerUser(url.path, runningAsRoot: !commandPrefix.isEmpty)
    }
}
