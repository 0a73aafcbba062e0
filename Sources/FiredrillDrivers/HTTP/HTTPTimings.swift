/// When each phase of a transfer ended, measured from the start of the transfer.
///
/// The stored values are cumulative instants, as libcurl reports them: `connect` is the time from
/// the start until the TCP connection was up, so it includes `dns`. They never decrease in the
/// order `dns ≤ connect ≤ tls ≤ firstByte ≤ total`. A reused connection has (near) zero `dns`,
/// `connect` and `tls`. For plain HTTP `tls` equals `connect`.
/// The `…Span` properties give the length of each phase on its own.
public struct HTTPTimings: Sendable, Hashable {
    /// Name resolution finished.
    public var dns: Duration
    /// TCP connection established.
    public var connect: Duration
    /// TLS handshake finished (equal to `connect` without TLS).
    public var tls: Duration
    /// First response byte received.
    public var firstByte: Duration
    /// Transfer finished.
    public var total: Duration

    /// Makes the instants monotone: each one is raised to at least the one before it.
    public init(dns: Duration, connect: Duration, tls: Duration, firstByte: Duration, total: Duration) {
        self.dns = max(.zero, dns)
        self.connect = max(self.dns, connect)
        self.tls = max(self.connect, tls)
        self.firstByte = max(self.tls, firstByte)
        self.total = max(self.firstByte, total)
    }

    public static let zero = HTTPTimings(dns: .zero, connect: .zero, tls: .zero, firstByte: .zero, total: .zero)

    public var dnsSpan: Duration { dns }
    public var connectSpan: Duration { connect - dns }
    public var tlsSpan: Duration { tls - connect }
    /// Sending the request and waiting for the server's first byte.
    public var waitSpan: Duration { firstByte - tls }
    /// Receiving the rest of the response after its first byte.
    public var transferSpan: Duration { total - firstByte }
}
