import Foundation

/// A request the built-in HTTP/1.1 client (`PlainHTTPLoadLoop`) can send exactly as libcurl would: where it goes
/// and the bytes of the whole request, serialised once and written as they are on every send.
///
/// `init?` refuses anything libcurl would send differently or handle in a way the built-in client does not:
/// `https`, TLS options, a URL with user info, dot segments or bytes curl would rewrite, redirects, an `Expect`,
/// `Content-Length` or `Transfer-Encoding` header, or a proxy in the environment (`http_proxy`, `all_proxy`).
/// Those requests stay on libcurl.
struct PlainHTTPRequest: Sendable {
    /// The host as written in the URL (brackets of an IPv6 literal removed), for name resolution.
    let host: String
    let port: Int
    /// The request line, headers and body, ready to write.
    let bytes: [UInt8]
    /// HEAD: the response has no body whatever its headers say.
    let isHead: Bool
    /// The request itself asks for `Connection: close`, so each connection carries one request.
    let closesConnection: Bool

    /// The headers libcurl adds to every request of the probe unless the request gives its own.
    static let userAgent = "firedrill"
    static let accept = "*/*"
    /// What libcurl labels a request body with when the request names no `Content-Type`.
    static let formContentType = "application/x-www-form-urlencoded"

    init?(_ request: HTTPRequest, environment: [String: String] = ProcessInfo.processInfo.environment) {
        guard request.tls == TLSOptions(), !request.followRedirects, request.validationProblem() == nil,
              Self.proxy(in: environment) == nil,
              !request.headers.contains(where: { $0.hasName("Expect") || $0.hasName("Content-Length") || $0.hasName("Transfer-Encoding") }),
              !request.headers.contains(where: { $0.hasName("Host") && $0.value.isEmpty }),
              let target = Self.target(request.url) else { return nil }
        host = target.host
        port = target.port
        isHead = request.method == .head
        closesConnection = request.headers.contains { header in
            header.hasName("Connection") && header.value.split(separator: ",").contains {
                $0.trimmingCharacters(in: .whitespaces).caseInsensitiveCompare("close") == .orderedSame
            }
        }

        // The order libcurl writes: request line, Host, User-Agent, Accept, the request's headers, then the body's
        // Content-Length and Content-Type.
        let body: Data? = isHead ? nil : (request.body ?? (request.method == .post ? Data() : nil))
        var head = "\(request.method.rawValue) \(target.pathAndQuery) HTTP/1.1\r\n"
        if let host = request.headers.first(where: { $0.hasName("Host") }) {
            head += "Host: \(host.value)\r\n"
        } else {
            head += "Host: \(target.hostHeader)\r\n"
        }
        if !request.headers.contains(where: { $0.hasName("User-Agent") }) { head += "User-Agent: \(Self.userAgent)\r\n" }
        if !request.headers.contains(where: { $0.hasName("Accept") }) { head += "Accept: \(Self.accept)\r\n" }
        for header in request.headers where !header.hasName("Host") {
            head += header.value.isEmpty ? "\(header.name):\r\n" : "\(header.name): \(header.value)\r\n"
        }
        if let body {
            head += "Content-Length: \(body.count)\r\n"
            if !request.headers.contains(where: { $0.hasName("Content-Type") }) { head += "Content-Type: \(Self.formContentType)\r\n" }
        }
        head += "\r\n"
        bytes = Array(head.utf8) + (body.map { Array($0) } ?? [])
    }

    /// The proxy libcurl would use for an `http` URL, from the environment; `nil` for none.
    static func proxy(in environment: [String: String]) -> String? {
        // libcurl reads lowercase `http_proxy` only (not `HTTP_PROXY`), then `all_proxy` in either case.
        for name in ["http_proxy", "all_proxy", "ALL_PROXY"] {
            if let value = environment[name], !value.isEmpty { return value }
        }
        return nil
    }

    /// The parts of an `http://` URL the request needs, or `nil` when libcurl would rewrite any of it.
    private static func target(_ url: String) -> (host: String, port: Int, hostHeader: String, pathAndQuery: String)? {
        guard url.utf8.count > 7, url.prefix(7).lowercased() == "http://" else { return nil }
        let rest = url.dropFirst(7)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        var remainder = rest[authorityEnd...]
        if let fragment = remainder.firstIndex(of: "#") { remainder = remainder[..<fragment] }
        guard !authority.contains("@") else { return nil }

        let hostPart: Substring
        let portPart: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            guard after.isEmpty || after.hasPrefix(":") else { return nil }
            portPart = after.isEmpty ? nil : after.dropFirst()
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        } else {
            let pieces = authority.split(separator: ":", omittingEmptySubsequences: false)
            guard pieces.count <= 2 else { return nil }
            hostPart = pieces[0]
            portPart = pieces.count == 2 ? pieces[1] : nil
            guard !hostPart.isEmpty, hostPart.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "." || $0 == "_") })
            else { return nil }
        }
        var port = 80
        if let portPart {
            guard !portPart.isEmpty, portPart.count <= 5, portPart.allSatisfy({ $0.isASCII && $0.isNumber }),
                  let number = Int(portPart), (1...65535).contains(number) else { return nil }
            port = number
        }

        // Dot segments would be removed, and bytes outside printable ASCII escaped, by libcurl's URL parser.
        guard remainder.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { return nil }
        let path = remainder.prefix { $0 != "?" }
        for segment in path.split(separator: "/", omittingEmptySubsequences: false) {
            let lowered = segment.lowercased().replacingOccurrences(of: "%2e", with: ".")
            if lowered == "." || lowered == ".." { return nil }
        }
        let pathAndQuery = remainder.hasPrefix("/") ? String(remainder) : "/" + remainder
        let hostText = authority.hasPrefix("[") ? "[\(hostPart)]" : String(hostPart)
        return (String(hostPart), port, port == 80 ? hostText : "\(hostText):\(port)", pathAndQuery)
    }
}
