import Foundation

/// Headless Chromium from the distribution, run as a real process (argv only) under coreutils `timeout`, which
/// kills Chromium's whole process group if it hangs.
enum Chromium {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The browser binary; a missing browser is a test failure, never a skip.
    static func executable() throws -> String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            for name in ["chromium", "chromium-browser"] {
                let candidate = "\(dir)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        throw Failure(description: "headless Chromium is required for the browser test but `chromium` is not on PATH: install it with `apt-get install -y chromium` (Debian), or run `make deps-test`")
    }

    /// Runs Chromium headless with `arguments` (after the common flags); returns what it wrote to stdout.
    static func run(_ arguments: [String], seconds: Int = 90) async throws -> String {
        let browser = try executable()
        let scratch = NSTemporaryDirectory() + "firedrill-chromium-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let outPath = scratch + "/stdout.txt"
        guard FileManager.default.createFile(atPath: outPath, contents: nil) else { throw Failure(description: "cannot create \(outPath)") }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        defer { try? out.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["--kill-after=5", String(seconds), browser, "--headless", "--no-sandbox", "--disable-gpu",
                             "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--user-data-dir=\(scratch)/profile"]
            + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = scratch
        process.environment = environment
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = ContinuousClock.now + .seconds(seconds + 10)
        while process.isRunning, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning {
            process.terminate()
            throw Failure(description: "chromium did not finish within \(seconds + 10)s")
        }
        guard process.terminationStatus == 0 else {
            throw Failure(description: "chromium exited with status \(process.terminationStatus) for \(arguments.joined(separator: " "))")
        }
        return try String(contentsOfFile: outPath, encoding: .utf8)
    }
}
