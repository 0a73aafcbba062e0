/// Why a TCP connection could not be opened.
///
/// Printed as `connect 127.0.0.1:1: connection refused (Connection refused)`.
public struct TCPError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable, CustomStringConvertible {
        case refused
        case timeout
        /// No route to the host or network.
        case unreachable
        /// The host name could not be resolved.
        case dns
        case cancelled
        /// Anything else, including an invalid port or running out of file descriptors.
        case other

        public var description: String {
            switch self {
            case .refused: "connection refused"
            case .timeout: "timed out"
            case .unreachable: "unreachable"
            case .dns: "could not resolve host"
            case .cancelled: "cancelled"
            case .other: "failed"
            }
        }
    }

    public var kind: Kind
    public var host: String
    public var port: Int
    /// The system's explanation (strerror / gai_strerror) or other context; may be empty.
    public var detail: String

    public init(_ kind: Kind, host: String, port: Int, detail: String = "") {
        self.kind = kind
        self.host = host
        self.port = port
        self.detail = detail
    }

    /// `host:port`, with an IPv6 literal in brackets.
    public var endpoint: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    public var description: String {
        let head = "connect \(endpoint): \(kind)"
        return detail.isEmpty ? head : "\(head) (\(detail))"
    }
}
