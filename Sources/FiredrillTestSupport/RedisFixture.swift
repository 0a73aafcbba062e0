import Foundation
import Synchronization

/// A real `redis-server` for tests (Debian's, or the binary named by `FIREDRILL_REDIS_SERVER_BIN`) in its own
/// temporary directory and process group, on 127.0.0.1 and a free port, with no persistence. Optionally with a
/// password, and optionally a replica of another fixture, or serving TLS only (`tls: true`): then `port` is its
/// TLS port, the plain port is off, and `tlsFiles` holds the throwaway CA and certificates made for it.
///
/// Always call `stop()` (idempotent); the server is also stopped when the fixture is deallocated. If
/// redis-server is missing or does not start, `start` throws: tests fail, they do not skip.
public final class RedisFixture: Sendable {
    public let port: Int
    public let password: String?
    public let directory: URL
    /// The certificates of a TLS fixture; nil for a plain one.
    public let tlsFiles: RedisTLSFiles?
    /// `127.0.0.1:PORT`, the `address` the redis drivers take.
    public var address: String { "127.0.0.1:\(port)" }
    public var pid: Int32 { daemon.pid }

    private let daemon: FixtureDaemon
    private let stopped = Mutex(false)

    private init(port: Int, password: String?, directory: URL, tlsFiles: RedisTLSFiles?, daemon: FixtureDaemon) {
        self.port = port
        self.password = password
        self.directory = directory
        self.tlsFiles = tlsFiles
        self.daemon = daemon
    }

    deinit { stop() }

    public var logTail: String {
        String(((try? String(contentsOf: directory.appendingPathComponent("redis.log"), encoding: .utf8)) ?? "").suffix(3000))
    }

    /// Starts a server and waits (up to `timeout`) until it answers `PING`. With `replicaOf`, it replicates that
    /// fixture (with its password). With `tls`, it serves TLS only, and with `clientCertificates` it requires a client
    /// certificate its CA signed (`--tls-auth-clients yes`).
    public static func start(password: String? = nil, replicaOf primary: RedisFixture? = nil, tls: Bool = false,
                             clientCertificates: Bool = false, timeout: Duration = .seconds(20)) async throws -> RedisFixture {
        try await FixtureCommand.offload {
            try startBlocking(password: password, primary: primary, tls: tls, clientCertificates: clientCertificates, timeout: timeout)
        }
    }

    private static func startBlocking(password: String?, primary: RedisFixture?, tls: Bool, clientCertificates: Bool,
                                      timeout: Duration) throws -> RedisFixture {
        let binary = try locateBinary()
        if primary != nil, tls || primary?.tlsFiles != nil {
            throw RedisFixtureError.startFailed(reason: "a replica of, or over, a TLS fixture is not supported (no --tls-replication)", log: "")
        }
        let directory = URL(fileURLWithPath: try TempDirectory.make(prefix: "firedrill-redis"))
        let logPath = directory.appendingPathComponent("redis.log").path
        let tlsFiles: RedisTLSFiles?
        do { tlsFiles = tls ? try RedisTLSFiles.make(in: directory) : nil } catch {
            try? FileManager.default.removeItem(at: directory)
            throw RedisFixtureError.startFailed(reason: "cannot make its TLS certificates: \(error)", log: "")
        }
        for attempt in 1...3 {
            let port = try LoopbackPort.free()
            var argv = [binary, "--port", tlsFiles == nil ? "\(port)" : "0", "--bind", "127.0.0.1", "--dir", directory.path, "--save", "",
                        "--appendonly", "no", "--daemonize", "no", "--logfile", "", "--protected-mode", "no"]
            if let tlsFiles {
                argv += ["--tls-port", "\(port)", "--tls-cert-file", tlsFiles.serverCert, "--tls-key-file", tlsFiles.serverKey,
                         "--tls-ca-cert-file", tlsFiles.ca, "--tls-auth-clients", clientCertificates ? "yes" : "no"]
            }
            if let password { argv += ["--requirepass", password] }
            if let primary {
                argv += ["--replicaof", "127.0.0.1", "\(primary.port)"]
                if let auth = primary.password { argv += ["--masterauth", auth] }
            }
            let daemon: FixtureDaemon
            do { daemon = try FixtureDaemon.spawn(argv, outputPath: logPath) } catch {
                try? FileManager.default.removeItem(at: directory)
                throw RedisFixtureError.startFailed(reason: String(describing: error), log: "")
            }
            let fixture = RedisFixture(port: port, password: password, directory: directory, tlsFiles: tlsFiles, daemon: daemon)
            let deadline = ContinuousClock.now + timeout
            while ContinuousClock.now < deadline {
                if daemon.exitDescription != nil { break }
                if tlsFiles == nil ? fixture.answersPing() : fixture.acceptsConnections() { return fixture }
                usleep(50_000)
            }
            let log = fixture.logTail
            daemon.terminate(grace: .seconds(2))
            fixture.stopped.withLock { $0 = true }
            if log.contains("Address already in use"), attempt < 3 { continue }
            try? FileManager.default.removeItem(at: directory)
            throw RedisFixtureError.notReady(port: port, log: log)
        }
        try? FileManager.default.removeItem(at: directory)
        throw RedisFixtureError.startFailed(reason: "its port was taken three times", log: "")
    }

    /// Sends a command inline (`AUTH` first when the server has a password) and returns the raw reply text; nil on a
    /// TLS fixture (talk to it through the driver's own client).
    public func send(_ command: String, timeoutMs: Int = 5000) -> String? {
        guard tlsFiles == nil, let client = LoopbackClient(port: port) else { return nil }
        var text = ""
        if let password { text += "AUTH \(password)\r\n" }
        text += command + "\r\n"
        guard client.send(Array(text.utf8)) else { return nil }
        var out: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(timeoutMs)
        while ContinuousClock.now < deadline {
            let (bytes, end) = client.read(1, timeoutMs: 200)
            out += bytes
            if end == .closed || end == .reset { break }
            if end == .timedOut, !out.isEmpty { break }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// A TLS fixture is ready once its log says so and its port takes a connection.
    func acceptsConnections() -> Bool {
        guard logTail.contains("Ready to accept connections") else { return false }
        return LoopbackClient(port: port) != nil
    }

    func answersPing() -> Bool {
        send("PING", timeoutMs: 1000)?.contains("+PONG") == true
    }

    /// Ends the server (SIGTERM, SIGKILL after 5 s) and removes its directory. Safe to call more than once.
    public func stop() {
        let already = stopped.withLock { value in
            defer { value = true }
            return value
        }
        guard !already else { return }
        daemon.terminate(grace: .seconds(5))
        try? FileManager.default.removeItem(at: directory)
    }

    static func locateBinary() throws -> String {
        let fileManager = FileManager.default
        if let configured = ProcessInfo.processInfo.environment["FIREDRILL_REDIS_SERVER_BIN"], !configured.isEmpty {
            guard fileManager.isExecutableFile(atPath: configured) else {
                throw RedisFixtureError.binaryNotFound(searched: ["FIREDRILL_REDIS_SERVER_BIN=\(configured)"])
            }
            return configured
        }
        var searched = ["/usr/bin/redis-server"]
        searched += (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map { "\($0)/redis-server" }
        guard let found = searched.first(where: { fileManager.isExecutableFile(atPath: $0) }) else {
            throw RedisFixtureError.binaryNotFound(searched: searched)
        }
        return found
    }
}
