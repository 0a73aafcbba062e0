import ArgumentParser

/// The exit codes every command shares (PLAN-FORMAT.md, "Endings and exit codes").
enum ExitStatus {
    static let passed = ExitCode(0)
    static let deviated = ExitCode(1)
    static let aborted = ExitCode(2)
    static let failed = ExitCode(3)
    static let invalid = ExitCode(4)
    static let inconclusive = ExitCode(5)
    static let interrupted = ExitCode(130)
}
