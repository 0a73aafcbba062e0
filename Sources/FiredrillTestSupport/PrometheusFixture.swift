import FiredrillCore
import Foundation
import Synchronization

/// A real Prometheus server for tests (Debian's `prometheus`, or the binary named by `FIREDRILL_PROMETHEUS_BIN`),
/// in its own temporary directory and process group, listening only on 127.0.0.1 at a free port.
///
/// It scrapes the given `127.0.0.1:PORT/metrics` targets every second under the job `job`, so a series a target
/// exposes is queryable as `NAME{instance="127.0.0.1:PORT",job="JOB"}` once `waitUntilScraped(port:)` returns.
///
/// Always call `stop()` (it is idempotent); as a last resort the server is stopped when the fixture is
/// deallocated. If Prometheus is not installed or does not start, `start` throws: tests fail, they do not skip.
public final class PrometheusFixture: Sendable {
    public let port: Int
    /// `http://127.0.0.1:PORT`, the base URL the `prometheus` probe takes.
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    /// The scraped targets, `127.0.0.1:PORT` each.
    public let targets: [String]
    /// The `job` label of every scraped series.
    public let job: String
    /// The temporary directory holding the configuration, the TSDB and the log; `stop()` removes it.
    public let directory: URL
    public let logFile: URL
    /// The prometheus program that runs.
    public let binary: String

    /// The server's process id, which is also its process group id.
    public var pid: Int32 { daemon.pid }

    private let daemon: FixtureDaemon
    private let stopped = Mutex(false)

    private init(port: Int, targets: [String], job: String, directory: URL, binary: String, daemon: FixtureDaemon) {
        self.port = port
        self.targets = targets
        self.job = job
        self.directory = directory
        self.logFile = directory.appendingPathComponent("prometheus.log")
        self.binary = binary
        self.daemon = daemon
    }

    deinit {
        stop()
    }

    /// The last part of Prometheus's own output, for messages.
    public var logTail: String {
        String(((try? String(contentsOf: logFile, encoding: .utf8)) ?? "").suffix(3000))
    }

    // MARK: - Life cycle

    /// Starts Prometheus scraping `127.0.0.1:PORT/metrics` for each of `ports` every second, and waits (up to
    /// `timeout`) until it answers `GET /-/ready`. A listen port taken meanwhile by another process is retried on a
    /// fresh one, up to three times. `binary` overrides `FIREDRILL_PROMETHEUS_BIN` and the search.
    public static func start(scraping ports: [Int], job: String = "firedrill-test", binary: String? = nil,
                             timeout: Duration = .seconds(30)) async throws -> PrometheusFixture {
        try await FixtureCommand.offload { try startBlocking(ports: ports, job: job, binary: binary, timeout: timeout) }
    }

    private static func startBlocking(ports: [Int], job: String, binary: String?, timeout: Duration) throws -> PrometheusFixture {
        let binary = try binary ?? locateBinary()
        let directory = URL(fileURLWithPath: try TempDirectory.make(prefix: "firedrill-prom"))
        do {
            let targets = ports.map { "127.0.0.1:\($0)" }
            let configFile = directory.appendingPathComponent("prometheus.yml")
            try Data(configuration(targets: targets, job: job).utf8).write(to: configFile)
            let logPath = directory.appendingPathComponent("prometheus.log").path
            for attempt in 1...3 {
                let port = try LoopbackPort.free()
                let argv = [
                    binary, "--config.file=\(configFile.path)", "--web.listen-address=127.0.0.1:\(port)",
                    "--storage.tsdb.path=\(directory.appendingPathComponent("data").path)",
                ]
                try? FileManager.default.removeItem(atPath: logPath)
                let daemon: FixtureDaemon
                do {
                    daemon = try FixtureDaemon.spawn(argv, outputPath: logPath)
                } catch {
                    throw PrometheusFixtureError.startFailed(binary: binary, reason: String(describing: error), log: "")
                }
                let fixture = PrometheusFixture(port: port, targets: targets, job: job, directory: directory, binary: binary, daemon: daemon)
                switch fixture.waitUntilReady(timeout: timeout) {
                case .ready:
                    return fixture
                case .exited(let how):
                    let log = fixture.logTail
                    fixture.stopped.withLock { $0 = true }
                    if log.contains("address already in use"), attempt < 3 { continue }
                    throw PrometheusFixtureError.startFailed(binary: binary, reason: "it \(how) before it was ready", log: log)
                case .timedOut:
                    let log = fixture.logTail
                    daemon.terminate()
                    fixture.stopped.withLock { $0 = true }
                    throw PrometheusFixtureError.notReady(port: port, seconds: timeout.seconds, log: log)
                }
            }
            throw PrometheusFixtureError.startFailed(binary: binary, reason: "its listen port was taken three times", log: "")
        } catch {
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
    }

    /// Ends the process group (SIGTERM, SIGKILL after 5 s), reaps it and removes the temporary directory. Safe to
    /// call more than once.
    public func stop() {
        let alreadyStopped = stopped.withLock { value in
            defer { value = true }
            return value
        }
        guard !alreadyStopped else { return }
        daemon.terminate(grace: .seconds(5))
        try? FileManager.default.removeItem(at: directory)
    }

    // MARK: - Waiting

    private enum Readiness {
        case ready
        case exited(String)
        case timedOut
    }

    private func waitUntilReady(timeout: Duration) -> Readiness {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let how = daemon.exitDescription { return .exited(how) }
            if let response = try? FixtureHTTP.get(port: port, path: "/-/ready"), response.status == 200 { return .ready }
            usleep(100_000)
        }
        return .timedOut
    }

    /// Waits (up to `timeout`) until Prometheus has scraped `127.0.0.1:PORT` successfully at least once, so the
    /// series that target exposes can be queried. Throws with the target's last scrape error when time is up.
    public func waitUntilScraped(port target: Int, timeout: Duration = .seconds(30)) async throws {
        let instance = "127.0.0.1:\(target)"
        let query = "up{instance=\"\(instance)\",job=\"\(job)\"}"
        let path = "/api/v1/query?query=" + (query.addingPercentEncoding(withAllowedCharacters: Self.unreserved) ?? query)
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let answer = try? await FixtureCommand.offload { [port] in try FixtureHTTP.get(port: port, path: path) }
            if let answer, let json = try? JSONValue.parse(answer.body),
               json["data"]?["result"]?[0]?["value"]?[1]?.stringValue == "1" {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw PrometheusFixtureError.notScraped(target: instance, seconds: timeout.seconds, detail: targetHealth(instance))
    }

    /// What `/api/v1/targets` says about `instance`: its health and last scrape error.
    private func targetHealth(_ instance: String) -> String {
        guard let answer = try? FixtureHTTP.get(port: port, path: "/api/v1/targets"),
              let json = try? JSONValue.parse(answer.body) else { return "Prometheus did not list its targets" }
        let active = json["data"]?["activeTargets"]?.arrayValue ?? []
        guard let entry = active.first(where: { $0["labels"]?["instance"]?.stringValue == instance }) else {
            return "it is not among the active targets yet (Prometheus takes up to about 5 s after starting to pick up its targets)"
        }
        let health = entry["health"]?.stringValue ?? "unknown"
        let error = entry["lastError"]?.stringValue ?? ""
        return "health \(health)" + (error.isEmpty ? "" : ", last error: \(error)")
    }

    // MARK: - Setup

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func configuration(targets: [String], job: String) -> String {
        """
        global:
          scrape_interval: 1s
          scrape_timeout: 1s
          evaluation_interval: 1s
        scrape_configs:
          - job_name: "\(job)"
            metrics_path: /metrics
            static_configs:
              - targets: [\(targets.map { "\"\($0)\"" }.joined(separator: ", "))]

        """
    }

    /// `FIREDRILL_PROMETHEUS_BIN` when set, else `/usr/bin/prometheus`, else `prometheus` on the `PATH`.
    static func locateBinary() throws -> String {
        let fileManager = FileManager.default
        if let configured = ProcessInfo.processInfo.environment["FIREDRILL_PROMETHEUS_BIN"], !configured.isEmpty {
            guard fileManager.isExecutableFile(atPath: configured) else {
                throw PrometheusFixtureError.binaryNotFound(searched: ["FIREDRILL_PROMETHEUS_BIN=\(configured) (not an executable file)"])
            }
            return configured
        }
        var searched = ["/usr/bin/prometheus"]
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        searched += path.split(separator: ":").map { "\($0)/prometheus" }
        guard let found = searched.first(where: { fileManager.isExecutableFile(atPath: $0) }) else {
            throw PrometheusFixtureError.binaryNotFound(searched: searched)
        }
        return found
    }
}
