import FiredrillCore
import Foundation

/// `process.start`: starts a daemon detached in its own session, its output appended to a file, and returns once it
/// is ready (a TCP port accepts, and/or a delay has passed). Its undo (`process.stop`) is journaled before the spawn
/// and names the daemon by a token in its environment, so `recover` stops it even if the runner died mid-start.
public struct ProcessStartDriver: StepDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "process.start", role: .step, "Starts a daemon detached in its own session and waits until it is ready.",
        timeout: "60s",
        params: [
            ParamSpec("run", .argv, required: true, "the daemon's argv (no shell)"),
            ParamSpec("env", .stringMap, "extra environment variables (the runner's environment is inherited)"),
            ParamSpec("cwd", .string, "working directory"),
            ParamSpec("output", .string, "file the daemon's stdout and stderr are appended to (default: `<step>.log` in the run directory)"),
            ParamSpec("ready-port", .string, "host:port that must accept a TCP connection before the step returns"),
            ParamSpec("ready", .probe, "a probe that must pass before the step returns: one probe driver (`http`, `tcp`, `command`, …) with its `expect`, polled every 500 ms up to `ready-timeout`"),
            ParamSpec("ready-after", .duration, "a delay before the step returns (after `ready-port`, when both are given)"),
            ParamSpec("ready-timeout", .duration, default: "30s", "how long `ready-port` may take; then the daemon is stopped and the step fails"),
            ParamSpec("grace", .duration, default: "5s", "how long the undo waits after SIGTERM before SIGKILL"),
        ],
        undo: "SIGTERM to the daemon and every process it started, SIGKILL after `grace`"
    )

    /// The daemon's argv, exactly as it is started (never through a shell).
    public static func dryRunArgv(_ p: DriverParams, environment: [String: String]) throws -> [[String]]? {
        p.list("run").map { [$0] }
    }

    public init() {}

    public func run(_ params: PlanNode, context: DriverContext) async throws -> StepOutcome {
        let p = Self.params(params)
        guard let argv = p.list("run"), !argv.isEmpty else { throw DriverError(Self.spec.key, "`run` needs a program") }
        let extra = p.map("env")
        let cwd = p.optionalString("cwd")
        let readyPort = try p.optionalString("ready-port").map(Self.hostPort)
        let readyProbe = p.has("ready") ? p.node["ready"] : nil
        let readyAfter = try p.duration("ready-after")
        let readyTimeout = try p.duration("ready-timeout") ?? .seconds(30)
        let grace = try p.duration("grace") ?? .seconds(5)
        let token = UUID().uuidString.lowercased()
        let output = p.optionalString("output") ?? Self.defaultOutput(step: context.name, token: token, runDirectory: context.runDirectory)

        let undo = UndoAction(
            key: ProcessStopUndo.key,
            params: ["token": .string(token), "grace-seconds": .number(grace.seconds), "argv": .array(argv.map { .string(context.mask($0)) })],
            description: "stop \(context.mask(CommandLineDisplay.render(argv))) (SIGTERM, SIGKILL after \(DurationSyntax.format(grace)))"
        )
        _ = try await context.willApply(undo)

        var environment = ProcessInfo.processInfo.environment
        for (key, value) in extra { environment[key] = value }
        environment[ProcessStopUndo.tokenVariable] = token
        var spec = ProcessLaunchSpec(arguments: argv)
        spec.environment = environment
        spec.workingDirectory = cwd
        spec.outputPath = output
        let launched: LaunchedProcess
        do { launched = try await ProcessLauncher().launch(spec) } catch { throw DriverError(Self.spec.key, error.description) }
        let start = ProcessSnapshot.read(pid: launched.pid)?.startSecondsSinceBoot ?? 0
        await context.record(.targetsResolved, [
            "started": ["pid": .number(Double(launched.pid)), "start": .number(start), "output": .string(output)],
        ])
        context.progress("started pid \(launched.pid); output in \(output)")

        if let (host, port) = readyPort {
            let clock = ContinuousClock()
            let deadline = clock.now + readyTimeout
            var attempts = 0
            while true {
                if let ended = launched.termination {
                    throw DriverError(Self.spec.key, "pid \(launched.pid) \(ended) before \(host):\(port) accepted; see \(output)")
                }
                attempts += 1
                if (try? await TCPConnector.connect(host: host, port: port, timeout: .seconds(1))) != nil { break }
                if clock.now >= deadline {
                    throw DriverError(Self.spec.key, "\(host):\(port) did not accept a connection within \(DurationSyntax.format(readyTimeout)) (\(attempts) attempts); see \(output). The daemon is stopped by the step's undo")
                }
                if attempts % 10 == 0 { context.progress("waiting for \(host):\(port) to accept (\(attempts) attempts)") }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        if let readyProbe {
            try await Self.poll(readyProbe, pid: launched.pid, launched: launched, output: output, timeout: readyTimeout, context: context)
        }
        if let readyAfter {
            context.progress("waiting \(DurationSyntax.format(readyAfter)) after the start")
            try await Task.sleep(for: readyAfter)
        }
        if let ended = launched.termination {
            throw DriverError(Self.spec.key, "pid \(launched.pid) \(ended) during its start; see \(output)")
        }
        return StepOutcome(output: ["pid": .number(Double(launched.pid)), "start": .number(start), "output": .string(output)],
                           summary: "started pid \(launched.pid)" + (readyPort.map { ", ready on \($0.0):\($0.1)" } ?? ""))
    }

    /// Polls the `ready` probe (its one probe driver and its `expect`) until it passes, the daemon exits, or `timeout`.
    static func poll(_ node: PlanNode, pid: Int32, launched: LaunchedProcess, output: String, timeout: Duration,
                     context: DriverContext) async throws {
        let entries = node.entries ?? []
        let drivers = entries.filter { BuiltinDrivers.probes[$0.key] != nil }
        guard drivers.count == 1, let entry = drivers.first, let probe = BuiltinDrivers.probes[entry.key] else {
            throw DriverError(spec.key, "`ready` needs exactly one probe driver (\(BuiltinDrivers.probes.keys.sorted().joined(separator: ", "))) and its `expect`")
        }
        guard let expectNode = entries.first(where: { $0.key == "expect" })?.value else {
            throw DriverError(spec.key, "`ready` needs an `expect`, so readiness is measured, not assumed")
        }
        let (parsed, diagnostics) = Tolerance.parse(expectNode)
        guard let tolerance = parsed else {
            throw DriverError(spec.key, "`ready.expect`: \(diagnostics.map(\.message).joined(separator: "; "))")
        }
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var attempts = 0
        var last = "no attempt yet"
        while true {
            if let ended = launched.termination {
                throw DriverError(spec.key, "pid \(pid) \(ended) before `ready` passed; see \(output)")
            }
            attempts += 1
            do {
                let seen = try await probe.observe(entry.value, context: context)
                let judgement = tolerance.judge(seen.value, label: entry.key)
                if judgement.passed { return }
                last = judgement.message
            } catch {
                last = "\(error)"
            }
            if clock.now >= deadline {
                throw DriverError(spec.key, "`ready` did not pass within \(DurationSyntax.format(timeout)) (\(attempts) attempts; last: \(context.mask(last))); see \(output). The daemon is stopped by the step's undo")
            }
            if attempts % 5 == 0 { context.progress("waiting for `ready` (\(attempts) attempts; last: \(context.mask(last)))") }
            try await Task.sleep(for: .milliseconds(500))
        }
    }

    /// `<run dir>/<step>.log`; outside a run (or with a step name that is not a plain file name), a file in the
    /// temporary directory.
    static func defaultOutput(step: String, token: String, runDirectory: String?) -> String {
        let safe = step.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." } && !step.hasPrefix(".")
        if let runDirectory, safe, !step.isEmpty { return runDirectory + "/" + step + ".log" }
        return FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-start-\(token.prefix(8)).log").path
    }

    static func hostPort(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw DriverError(spec.key, "`ready-port` must be host:port, got `\(text)`")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}
