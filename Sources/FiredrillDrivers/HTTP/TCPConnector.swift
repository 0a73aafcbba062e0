/// Checks that a TCP endpoint accepts connections.
public enum TCPConnector {
    /// Opens a TCP connection to `host:port` and closes it again at once.
    ///
    /// `host` is an IPv4 or IPv6 literal (brackets allowed: `[::1]`) or a name resolved with
    /// `getaddrinfo`; each resolved address is tried in order until one connects. The work runs
    /// on its own thread with non-blocking sockets, so it never blocks Swift's cooperative pool.
    ///
    /// - Parameter timeout: limit for name resolution plus connecting.
    /// - Returns: the time from the start of the call (name resolution included) until the
    ///   connection was established.
    /// - Throws: `TCPError`; cancelling the calling task throws `.cancelled` at once.
    public static func connect(host: String, port: Int, timeout: Duration) async throws(TCPError) -> Duration {
        var host = host
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty, !host.utf8.contains(0) else {
            throw TCPError(.other, host: host, port: port, detail: "the host is empty or contains NUL")
        }
        guard (1...65_535).contains(port) else {
            throw TCPError(.other, host: host, port: port, detail: "the port must be between 1 and 65535")
        }
        guard timeout > .zero else {
            throw TCPError(.other, host: host, port: port, detail: "the timeout must be positive")
        }
        if Task.isCancelled { throw TCPError(.cancelled, host: host, port: port) }

        let attempt = TCPConnectAttempt(host: host, port: port, timeout: timeout)
        let result = await withTaskCancellationHandler {
            await withCheckedContinuation { attempt.start($0) }
        } onCancel: {
            attempt.abandon(with: .cancelled, detail: "")
        }
        return try result.get()
    }
}
