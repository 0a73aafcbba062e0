import Foundation

/// The final response of a transfer (after any redirects that were followed).
public struct HTTPResponse: Sendable, Hashable {
    public var status: Int
    /// Headers of the final response only, in the order received.
    public var headers: [HTTPHeader]
    /// At most `HTTPRequest.maxBodyBytes` bytes.
    public var body: Data
    /// The server sent more than `maxBodyBytes`; `body` holds the first `maxBodyBytes` bytes and the
    /// transfer was stopped there.
    public var bodyTruncated: Bool
    public var timings: HTTPTimings
    /// The URL of the final response (differs from the request URL after a redirect).
    public var effectiveURL: String
    public var httpVersion: HTTPVersion

    public init(
        status: Int,
        headers: [HTTPHeader],
        body: Data,
        bodyTruncated: Bool = false,
        timings: HTTPTimings = .zero,
        effectiveURL: String,
        httpVersion: HTTPVersion = .http1_1
    ) {
        self.status = status
        self.headers = headers
        self.body = body
        self.bodyTruncated = bodyTruncated
        self.timings = timings
        self.effectiveURL = effectiveURL
        self.httpVersion = httpVersion
    }

    /// The value of the first header with this name (case-insensitive), if any.
    public func header(_ name: String) -> String? {
        headers.first { $0.hasName(name) }?.value
    }

    /// All values of headers with this name (case-insensitive), in order.
    public func headers(named name: String) -> [String] {
        headers.filter { $0.hasName(name) }.map(\.value)
    }

    /// The body decoded as UTF-8 (invalid bytes become U+FFFD).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
