/// Why an HTTP request produced no response.
///
/// Printed as `GET http://127.0.0.1:1/health: connection refused (Failed to connect to …)`:
/// what was sent, where, the kind of failure and libcurl's own explanation.
public struct HTTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The failure classes a probe cares about. Everything libcurl reports maps to exactly one.
    public enum Kind: String, Sendable, Hashable, CustomStringConvertible {
        case connectionRefused
        case timeout
        case dnsFailure
        case tlsFailure
        case cancelled
        case tooManyRedirects
        /// The request cannot be sent as written (bad URL, unsupported scheme, line break in a header).
        case invalidRequest
        case other

        public var description: String {
            switch self {
            case .connectionRefused: "connection refused"
            case .timeout: "timed out"
            case .dnsFailure: "could not resolve host"
            case .tlsFailure: "TLS failure"
            case .cancelled: "cancelled"
            case .tooManyRedirects: "too many redirects"
            case .invalidRequest: "invalid request"
            case .other: "request failed"
            }
        }
    }

    public var kind: Kind
    public var method: HTTPMethod
    public var url: String
    /// libcurl's error text (its error buffer) or another explanation; may be empty.
    public var detail: String

    public init(_ kind: Kind, method: HTTPMethod, url: String, detail: String = "") {
        self.kind = kind
        self.method = method
        self.url = url
        self.detail = detail
    }

    init(_ kind: Kind, request: HTTPRequest, detail: String = "") {
        self.init(kind, method: request.method, url: request.url, detail: detail)
    }

    public var description: String {
        let head = "\(method) \(url): \(kind)"
        return detail.isEmpty ? head : "\(head) (\(detail))"
    }
}
