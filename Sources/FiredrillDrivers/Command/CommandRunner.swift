import Foundation
import Subprocess
import Synchronization

#if canImport(System)
import System
#else
import SystemPackage
#endif

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs external programs: every shell-out in Firedrill goes through here.
///
/// - argv only: `argv[0]` is looked up on the `PATH` of the child's environment, every other
///   element reaches the child as one argument, and no shell is involved.
/// - The child leads its own new process group. On timeout, on cancellation of the calling
///   task and on any error, the whole group gets `SIGTERM`, then `SIGKILL` after the request's
///   grace period.
/// - A non-zero exit, a fatal signal or a timeout is reported in the ``CommandResult``, not
///   thrown; ``CommandResult/check()`` turns it into a ``CommandError``.
/// - Output is captured up to a size cap per stream; secrets are masked in everything returned.
///
/// `run` throws ``CommandError`` when the program cannot be started, and `CancellationError`
/// when the calling task is cancelled (after the process group has been torn down).
public struct CommandRunner: Sendable {
    public init() {}

    public func run(_ request: CommandRequest) async throws -> CommandResult {
        let masker = SecretMasker(request.secrets)
        let shownArgv = masker.mask(request.argv)
        guard let program = request.argv.first, !program.isEmpty else { throw CommandError.emptyCommand }
        try Task.checkCancellation()

        let environment = Self.environment(updatedWith: request.environment)
        let executablePath = try await Self.resolve(
            program, in: environment, workingDirectory: request.workingDirectory, masker: masker)

        var options = PlatformOptions()
        options.processGroupID = 0  // 0: a new group whose id is the child's pid
        options.teardownSequence = [
            .gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: request.terminationGrace)
        ]
        let configuration = Configuration(
            executable: .path(FilePath(executablePath)),
            arguments: Arguments(executablePathOverride: program, remainingValues: Array(request.argv.dropFirst())),
            environment: environment,
            workingDirectory: request.workingDirectory.map { FilePath($0) },
            platformOptions: options
        )

        let state = RunState()
        let clock = ContinuousClock()
        let started = clock.now
        let captured: Captured
        do {
            captured = try await withTaskCancellationHandler {
                try await Self.supervise(configuration, request: request, masker: masker, state: state)
            } onCancel: {
                state.markCancelled(at: ContinuousClock.now)
            }
        } catch {
            if let pid = state.pid {
                let from = state.cancelledAt ?? clock.now
                await ProcessGroupTerminator.terminate(group: pid, deadline: from + request.terminationGrace)
            }
            if state.cancelledAt != nil || error is CancellationError {
                throw CancellationError()
            }
            throw Self.commandError(for: error, commandLine: CommandLineDisplay.render(shownArgv), state: state)
        }

        if let cancelledAt = state.cancelledAt {
            await ProcessGroupTerminator.terminate(group: captured.pid, deadline: cancelledAt + request.terminationGrace)
            throw CancellationError()
        }
        if let timedOutAt = state.timedOutAt {
            // Members that outlived the group leader still get their SIGKILL.
            await ProcessGroupTerminator.terminate(group: captured.pid, deadline: timedOutAt + request.terminationGrace)
        }

        let (exitCode, signal): (Int32?, Int32?) =
            switch captured.status {
            case .exited(let code): (code, nil)
            case .signaled(let number): (nil, number)
            }
        return CommandResult(
            argv: shownArgv, exitCode: exitCode, signal: signal,
            stdout: captured.stdout, stderr: captured.stderr,
            duration: clock.now - started, pid: captured.pid,
            timedOut: state.timedOutAt != nil, timeout: request.timeout
        )
    }
}

// MARK: - Running

extension CommandRunner {
    private struct Captured: Sendable {
        var pid: pid_t
        var status: TerminationStatus
        var stdout: String
        var stderr: String
    }

    private enum Event: Sendable {
        case finished(Captured)
        case timerFired
        case timerCancelled
        case groupTerminated
    }

    /// Runs the child next to a timer; when the timer fires first, tears the group down and
    /// still waits for the child so its output and status are kept.
    private static func supervise(
        _ configuration: Configuration, request: CommandRequest, masker: SecretMasker, state: RunState
    ) async throws -> Captured {
        try await withThrowingTaskGroup(of: Event.self) { group in
            group.addTask {
                .finished(try await execute(configuration, request: request, masker: masker, state: state))
            }
            group.addTask {
                do {
                    try await Task.sleep(for: request.timeout)
                    return .timerFired
                } catch {
                    return .timerCancelled
                }
            }
            var captured: Captured?
            while let event = try await group.next() {
                switch event {
                case .finished(let result):
                    captured = result
                    if state.timedOutAt == nil { group.cancelAll() }
                case .timerFired:
                    let now = ContinuousClock.now
                    state.markTimedOut(at: now)
                    if let pid = state.pid {
                        group.addTask {
                            await ProcessGroupTerminator.terminate(group: pid, deadline: now + request.terminationGrace)
                            return .groupTerminated
                        }
                    } else {
                        // Still launching: cancelling lets the library's teardown end the group.
                        group.cancelAll()
                    }
                case .timerCancelled, .groupTerminated:
                    continue
                }
            }
            guard let captured else { throw CancellationError() }
            return captured
        }
    }

    private static func execute(
        _ configuration: Configuration, request: CommandRequest, masker: SecretMasker, state: RunState
    ) async throws -> Captured {
        let input = request.stdin.map { [UInt8]($0) }
        if input != nil { ignoreBrokenPipes }
        let limit = request.outputLimit
        let result = try await Subprocess.run(
            configuration, input: .inputWriter, output: .sequence, error: .sequence
        ) { execution in
            state.setPID(execution.processIdentifier.value)
            try await request.onSpawn?(execution.processIdentifier.value)
            let writer = execution.standardInputWriter
            async let written: Void = {
                if let input, !input.isEmpty { _ = try? await writer.write(input) }
                try? await writer.finish()
            }()
            async let out = collect(execution.standardOutput, masker: masker, limit: limit)
            async let err = collect(execution.standardError, masker: masker, limit: limit)
            let streams = await (out, err)
            await written
            return streams
        }
        return Captured(
            pid: result.processIdentifier.value, status: result.terminationStatus,
            stdout: result.closureResult.0, stderr: result.closureResult.1)
    }

    /// Reads a stream to its end, masking secrets before anything is kept.
    private static func collect(
        _ stream: SubprocessOutputSequence, masker: SecretMasker, limit: Int
    ) async -> String {
        var capture = CappedOutput(limit: limit)
        var masking = SecretMasker.Stream(masker: masker)
        do {
            for try await buffer in stream {
                let bytes = buffer.withUnsafeBytes { [UInt8]($0) }
                capture.append(masking.feed(bytes))
            }
        } catch {
            // The stream ends early when the child is torn down; keep what arrived.
        }
        capture.append(masking.finish())
        return capture.render()
    }

    /// Writing stdin to a child that already exited must fail with EPIPE, not kill Firedrill.
    private static let ignoreBrokenPipes: Void = {
        _ = signal(SIGPIPE, SIG_IGN)
    }()
}

// MARK: - Setup

extension CommandRunner {
    private static func environment(updatedWith overrides: [String: String]) -> Environment {
        guard !overrides.isEmpty else { return .inherit }
        var updates: [Environment.Key: String?] = [:]
        for (key, value) in overrides { updates[Environment.Key(stringLiteral: key)] = value }
        return .inherit.updating(updates)
    }

    /// Finds the file to execute: a name is searched on the effective `PATH`; anything with a
    /// `/` is a path, relative to the working directory the child will have.
    private static func resolve(
        _ program: String, in environment: Environment, workingDirectory: String?, masker: SecretMasker
    ) async throws(CommandError) -> String {
        if program.contains("/") {
            var path = program
            if !path.hasPrefix("/") {
                let base = workingDirectory.map { $0.hasPrefix("/") ? $0 : FileManager.default.currentDirectoryPath + "/" + $0 }
                    ?? FileManager.default.currentDirectoryPath
                path = base + "/" + program
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  access(path, X_OK) == 0
            else { throw CommandError.notExecutable(path: masker.mask(program)) }
            return path
        }
        do {
            return try await Executable.name(program).resolveExecutablePath(in: environment).string
        } catch {
            throw CommandError.notFound(program: masker.mask(program))
        }
    }

    private static func commandError(for error: any Error, commandLine: String, state: RunState) -> CommandError {
        if let commandError = error as? CommandError { return commandError }
        if state.timedOutAt != nil {
            return .launchFailed(commandLine: commandLine, reason: "timed out before the process started")
        }
        if let subprocessError = error as? SubprocessError {
            switch subprocessError.code {
            case .failedToChangeWorkingDirectory:
                return .launchFailed(commandLine: commandLine, reason: "cannot change to the working directory")
            default:
                let detail = subprocessError.underlyingError.map { " (\($0))" } ?? ""
                return .launchFailed(commandLine: commandLine, reason: "\(subprocessError.code)\(detail)")
            }
        }
        return .launchFailed(commandLine: commandLine, reason: String(describing: error))
    }
}

// MARK: - Shared state of one run

/// What the parts of one run learn about each other: the child's pid (for group teardown)
/// and when a timeout or a cancellation happened.
private final class RunState: Sendable {
    private struct Values {
        var pid: pid_t?
        var timedOutAt: ContinuousClock.Instant?
        var cancelledAt: ContinuousClock.Instant?
    }
    private let values = Mutex(Values())

    var pid: pid_t? { values.withLock { $0.pid } }
    var timedOutAt: ContinuousClock.Instant? { values.withLock { $0.timedOutAt } }
    var cancelledAt: ContinuousClock.Instant? { values.withLock { $0.cancelledAt } }

    func setPID(_ pid: pid_t) { values.withLock { $0.pid = pid } }
    func markTimedOut(at instant: ContinuousClock.Instant) { values.withLock { $0.timedOutAt = $0.timedOutAt ?? instant } }
    func markCancelled(at instant: ContinuousClock.Instant) { values.withLock { $0.cancelledAt = $0.cancelledAt ?? instant } }
}
