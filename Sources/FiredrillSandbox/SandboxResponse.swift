/// One HTTP response of a sandbox worker.
struct SandboxResponse: Sendable, Equatable {
    var status: Int
    var contentType: String
    var body: String

    static func text(_ status: Int, _ body: String) -> SandboxResponse {
        SandboxResponse(status: status, contentType: "text/plain; charset=utf-8", body: body)
    }

    static func json(_ status: Int, _ body: String) -> SandboxResponse {
        SandboxResponse(status: status, contentType: "application/json", body: body)
    }

    /// The bytes on the wire; `includeBody` is false for `HEAD`.
    func serialized(keepAlive: Bool, workerIndex: Int, includeBody: Bool = true) -> [UInt8] {
        let payload = Array(body.utf8)
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(payload.count)\r\n"
        head += "Connection: \(keepAlive ? "keep-alive" : "close")\r\n"
        head += "X-Sandbox-Worker: \(workerIndex)\r\n\r\n"
        return Array(head.utf8) + (includeBody ? payload : [])
    }

    static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 413: "Content Too Large"
        case 418: "I'm a teapot"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        case 505: "HTTP Version Not Supported"
        default: "Status \(status)"
        }
    }
}
