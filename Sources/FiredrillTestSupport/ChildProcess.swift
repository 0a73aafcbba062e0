import Foundation

/// A real child process started by a test (argv, no shell), killed at the end if still running. It starts in a
/// fresh temporary directory unless given one.
public final class ChildProcess: @unchecked Sendable {
    // Foundation.Process is used from one test task at a time.
    public let process = Process()
    private let output = Pipe()

    public init(_ argv: [String], environment: [String: String]? = nil, workingDirectory: String? = nil) throws {
        process.executableURL = URL(fileURLWithPath: argv[0].contains("/") ? argv[0] : "/usr/bin/env")
        process.arguments = argv[0].contains("/") ? Array(argv.dropFirst()) : argv
        if let environment { process.environment = environment }
        // A fresh directory unless told otherwise, so defaults relative to it (`reports/`, its run index and plan
        // locks) never land in the package being tested.
        let directory = try workingDirectory ?? TempDirectory.make(prefix: "firedrill-cwd")
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    public var pid: Int32 { process.processIdentifier }

    /// Waits up to `timeout` for the exit; returns the exit status, or nil if it is still running.
    public func wait(timeout: Duration) async -> Int32? {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return process.isRunning ? nil : process.terminationStatus
    }

    /// Everything the child wrote so far (call after it exited).
    public func readOutput() -> String {
        String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
    }

    public func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
