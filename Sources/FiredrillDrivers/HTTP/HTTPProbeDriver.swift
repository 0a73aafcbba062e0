import FiredrillCore
import Foundation

/// The `http` probe: one request through libcurl. Observes `status`, `headers` (lower-case names), `body`, `json`
/// (when the body parses), `latency`, and the timing breakdown `dns`, `connect`, `tls`, `first-byte` (seconds
/// since the request started). Without `expect`, a status below 400 passes.
public struct HTTPProbeDriver: ProbeDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "http", role: .probe, "An HTTP request through libcurl: status, headers, body, JSON and latency.",
        timeout: "10s",
        params: [
            ParamSpec("url", .url, required: true, "the URL to request"),
            ParamSpec("method", .enumeration(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]), default: "GET", "HTTP method"),
            ParamSpec("headers", .stringMap, "request headers"),
            ParamSpec("body", .string, "request body"),
            ParamSpec("follow-redirects", .boolean, default: "false", "follow 3xx redirects"),
            ParamSpec("max-body", .byteSize, default: "1MiB", "keep at most this much of the response body"),
        ] + TLSParams.all,
        fields: [
            ProbeField("status", .number, "the HTTP status code"),
            ProbeField("headers", .object, "response headers, by lower-case name"),
            ProbeField("body", .string, "the response body (at most `max-body`)"),
            ProbeField("json", .object, "the body parsed as JSON, when it parses"),
            ProbeField("latency", .duration, "the whole request"),
            ProbeField("dns", .duration, "name lookup done, since the request started"),
            ProbeField("connect", .duration, "connected, since the request started"),
            ProbeField("tls", .duration, "TLS handshake done, since the request started"),
            ProbeField("first-byte", .duration, "first response byte, since the request started"),
        ]
    )

    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = Self.params(params)
        let request = try Self.request(p, timeout: context.timeout)
        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            throw DriverError(Self.spec.key, context.mask(error.description))
        }
        var headers: [String: JSONValue] = [:]
        for h in response.headers { headers[h.name.lowercased()] = .string(h.value) }
        let body = response.bodyText
        var value: [String: JSONValue] = [
            "status": .number(Double(response.status)),
            "headers": .object(headers),
            "body": .string(body),
            "latency": .number(response.timings.total.seconds),
            "dns": .number(response.timings.dns.seconds),
            "connect": .number(response.timings.connect.seconds),
            "tls": .number(response.timings.tls.seconds),
            "first-byte": .number(response.timings.firstByte.seconds),
        ]
        if let json = try? JSONValue.parse(body) { value["json"] = json }
        let ms = Int((response.timings.total.seconds * 1000).rounded())
        return Observation(value: .object(value), summary: "status \(response.status) in \(ms)ms", ok: response.status < 400)
    }

    static func request(_ p: DriverParams, timeout: Duration) throws -> HTTPRequest {
        let url = try p.string("url")
        var headers: [HTTPHeader] = []
        for (k, v) in p.map("headers") { headers.append(HTTPHeader(name: k, value: v)) }
        var maxBody = HTTPRequest.defaultMaxBodyBytes
        if let text = p.text("max-body") {
            guard let size = try? ByteSize.parse(text) else { throw DriverError(Self.spec.key, "`max-body` is not a size: `\(text)`") }
            maxBody = Int(size.bytes)
        }
        let tls = TLSOptions(verifyPeer: try p.bool("tls-verify"), verifyHost: try p.bool("tls-verify"),
                             caFile: p.optionalString("ca-file"), clientCert: p.optionalString("client-cert"),
                             clientKey: p.optionalString("client-key"))
        return HTTPRequest(method: HTTPMethod(rawValue: p.text("method") ?? "GET"), url: url, headers: headers,
                           body: p.optionalString("body").map { Data($0.utf8) }, timeout: timeout, tls: tls,
                           followRedirects: try p.bool("follow-redirects"), maxBodyBytes: maxBody)
    }
}
