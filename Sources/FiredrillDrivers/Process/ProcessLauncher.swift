import Foundation
import Subprocess

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

/// Starts a process in its own new session and returns as soon as it runs, without waiting
/// for it to end (``CommandRunner`` is for commands that are waited for).
///
/// swift-subprocess's `run` returns only after the child has ended, so the launch happens in
/// a detached task that stays suspended until then and reaps the child; the pid is handed back
/// as soon as the child exists. No thread is blocked meanwhile, and the child is never killed
/// on Firedrill's behalf (it has no teardown sequence).
public struct ProcessLauncher: Sendable {
    public init() {}

    public func launch(_ spec: ProcessLaunchSpec) async throws(ProcessError) -> LaunchedProcess {
        guard let first = spec.arguments.first, !first.isEmpty else {
            throw ProcessError.launchFailed(argv: spec.arguments, reason: "empty command")
        }
        var options = PlatformOptions()
        options.createSession = true
        let configuration = Configuration(
            executable: try executable(for: spec, argv0: first),
            arguments: Arguments(executablePathOverride: first, remainingValues: Array(spec.arguments.dropFirst())),
            environment: environment(spec.environment),
            workingDirectory: spec.workingDirectory.map { FilePath($0) },
            platformOptions: options
        )
        let box = TerminationBox()
        let (started, reportStart) = AsyncStream.makeStream(of: Result<Int32, ProcessError>.self)

        if let outputPath = spec.outputPath {
            let fd = open(outputPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
            guard fd >= 0 else {
                throw ProcessError.launchFailed(
                    argv: spec.arguments, reason: "cannot open \(outputPath): \(String(cString: strerror(errno)))")
            }
            Self.start(
                configuration, argv: spec.arguments,
                output: .fileDescriptor(FileDescriptor(rawValue: fd), closeAfterSpawningProcess: true),
                error: .combinedWithOutput, box: box, report: reportStart)
        } else {
            Self.start(configuration, argv: spec.arguments, output: .discarded, error: .discarded, box: box, report: reportStart)
        }

        for await outcome in started {
            switch outcome {
            case .success(let pid):
                await Self.waitForExecToFinish(pid)
                return LaunchedProcess(pid: pid, outcome: box)
            case .failure(let error): throw error
            }
        }
        throw ProcessError.launchFailed(argv: spec.arguments, reason: "the launch was abandoned")
    }

    private static func start<Output: OutputProtocol, ErrorOutput: ErrorOutputProtocol>(
        _ configuration: Configuration, argv: [String], output: Output, error: ErrorOutput,
        box: TerminationBox, report: AsyncStream<Result<Int32, ProcessError>>.Continuation
    ) {
        Task.detached {
            do {
                let result = try await Subprocess.run(configuration, input: .none, output: output, error: error) { execution in
                    report.yield(.success(execution.processIdentifier.value))
                    report.finish()
                }
                switch result.terminationStatus {
                case .exited(let code): box.set(.exited(code))
                case .signaled(let signal): box.set(.signaled(signal))
                }
            } catch {
                report.yield(.failure(.launchFailed(argv: argv, reason: Self.reason(error))))
                report.finish()
            }
        }
    }

    /// The spawn returns while the kernel may still be loading the new program, when
    /// /proc/<pid>/cmdline reads empty. Waiting (bounded) for the argv to appear means a caller
    /// that looks the process up right away sees the new command line.
    private static func waitForExecToFinish(_ pid: Int32) async {
        for _ in 0..<500 {
            guard let arguments = ProcessSnapshot.readArguments(pid: pid), arguments.isEmpty else { return }
            try? await Task.sleep(for: .milliseconds(1))
        }
    }

    private static func reason(_ error: any Error) -> String {
        guard let subprocessError = error as? SubprocessError else { return String(describing: error) }
        switch subprocessError.code {
        case .executableNotFound: return "not found on PATH"
        case .failedToChangeWorkingDirectory: return "cannot change to the working directory"
        default: return String(describing: subprocessError)
        }
    }

    private func executable(for spec: ProcessLaunchSpec, argv0: String) throws(ProcessError) -> Executable {
        if let path = spec.executablePath { return .path(FilePath(path)) }
        guard argv0.contains("/") else { return .name(argv0) }
        if argv0.hasPrefix("/") { return .path(FilePath(argv0)) }
        let base = spec.workingDirectory ?? FileManager.default.currentDirectoryPath
        return .path(FilePath(base + "/" + argv0))
    }

    private func environment(_ values: [String: String]?) -> Environment {
        guard let values else { return .inherit }
        var custom: [Environment.Key: String] = [:]
        for (key, value) in values { custom[Environment.Key(stringLiteral: key)] = value }
        return .custom(custom)
    }
}
