import Foundation

/// Everything needed to send one HTTP request.
public struct HTTPRequest: Sendable, Hashable {
    public var method: HTTPMethod
    /// An `http://` or `https://` URL; other schemes are refused.
    public var url: String
    /// Sent in this order, after the headers libcurl adds (a header given here replaces curl's own).
    /// An empty value sends the header with no value.
    public var headers: [HTTPHeader]
    public var body: Data?
    /// Limit for the whole transfer, redirects included.
    public var timeout: Duration
    /// Limit for name resolution plus connecting (and the TLS handshake); `nil` leaves it to `timeout`.
    public var connectTimeout: Duration?
    public var tls: TLSOptions
    public var followRedirects: Bool
    /// Redirects followed at most, when `followRedirects` is on; one more fails with `.tooManyRedirects`.
    public var maxRedirects: Int
    /// Body bytes kept. A longer body is cut at this size, the transfer stops there and the
    /// response says `bodyTruncated`.
    public var maxBodyBytes: Int

    /// The body limit used unless a request says otherwise: 1 MiB.
    public static let defaultMaxBodyBytes = 1 << 20

    public init(
        method: HTTPMethod = .get,
        url: String,
        headers: [HTTPHeader] = [],
        body: Data? = nil,
        timeout: Duration = .seconds(10),
        connectTimeout: Duration? = nil,
        tls: TLSOptions = TLSOptions(),
        followRedirects: Bool = false,
        maxRedirects: Int = 10,
        maxBodyBytes: Int = HTTPRequest.defaultMaxBodyBytes
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.followRedirects = followRedirects
        self.maxRedirects = maxRedirects
        self.maxBodyBytes = maxBodyBytes
    }
}
