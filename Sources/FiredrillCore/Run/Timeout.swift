/// Thrown when an operation outlives its timeout.
public struct TimeoutError: Error, Sendable, CustomStringConvertible {
    public var what: String
    public var after: Duration

    public var description: String { "\(what) timed out after \(DurationSyntax.format(after))" }
}

/// Runs `operation`, cancelling it when `timeout` passes. Cancellation reaches the operation's subprocesses
/// and waits, which stop at once.
public func withTimeout<T: Sendable>(
    _ timeout: Duration, what: String, _ operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: timeout)
            throw TimeoutError(what: what, after: timeout)
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        return first
    }
}
