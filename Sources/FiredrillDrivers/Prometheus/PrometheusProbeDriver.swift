import FiredrillCore
import Foundation

/// The `prometheus` probe: one PromQL instant query, `GET <url>/api/v1/query?query=…`, through libcurl, with the
/// plan's `headers`, bounded by the probe's timeout.
///
/// Observes `value` and `series`:
/// - a scalar gives its number and `series: {}`;
/// - an instant vector must hold exactly one series: its number, and `series` the series' labels (`__name__`
///   included when the result keeps it);
/// - a string gives the string and `series: {}`.
///
/// `NaN`, `+Inf` and `-Inf` are observed as the strings `"NaN"`, `"+Inf"`, `"-Inf"` (JSON has no number for them):
/// the probe still reads a value, and a numeric `expect` such as `"< 5"` then fails saying the value is not a
/// number, so a division by zero is never mistaken for a healthy 0.
///
/// Failures (errors): no series (`query … returned no series`), several series (their label sets are listed), a
/// range vector, Prometheus's own refusal (`bad_data: … parse error …`), a non-API answer (an HTTP 404 from
/// something that is not Prometheus), and no answer at all (connection refused, timeout). Messages name the
/// base URL with the run's secrets masked.
public struct PrometheusProbeDriver: ProbeDriver, DeclaredDriver {
    public static let spec = DriverSpec(
        "prometheus", role: .probe, "A PromQL instant query; a scalar or single-series vector becomes the value.",
        timeout: "10s",
        params: [
            ParamSpec("url", .url, required: true, "Prometheus base URL, e.g. http://127.0.0.1:9090"),
            ParamSpec("query", .string, required: true, "PromQL expression"),
            ParamSpec("headers", .stringMap, "request headers (e.g. Authorization)"),
            ProbeUnitParam.spec,
        ],
        fields: [
            ProbeField("value", .dynamic, "the scalar or single sample; its unit is the query's (declare it with `unit:`)"),
            ProbeField("series", .object, "the sample's labels"),
        ]
    )

    let client: HTTPClient

    /// Series listed at most when a query returns more than one.
    static let listedSeries = 5
    /// Answer bytes read at most; a larger answer is reported, not parsed.
    static let maxBodyBytes = 8 << 20

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func observe(_ params: PlanNode, context: DriverContext) async throws -> Observation {
        let p = Self.params(params)
        let base = try Self.baseURL(try p.string("url"))
        let query = try p.string("query")
        let shownBase = context.mask(base)
        let shownQuery = context.mask(query)

        var headers = p.map("headers").map { HTTPHeader(name: $0.0, value: $0.1) }
        if !headers.contains(where: { $0.hasName("Accept") }) { headers.append(HTTPHeader("Accept", "application/json")) }
        let request = HTTPRequest(method: .get, url: base + "/api/v1/query?query=" + Self.percentEncoded(query),
                                  headers: headers, timeout: context.timeout, maxBodyBytes: Self.maxBodyBytes)

        let response: HTTPResponse
        do {
            response = try await client.send(request)
        } catch {
            if error.kind == .cancelled { throw CancellationError() }
            let detail = error.detail.isEmpty ? "" : " (\(error.detail))"
            throw DriverError(Self.spec.key, context.mask("no answer from Prometheus at \(base) to query `\(query)`: \(error.kind)\(detail)"))
        }
        if response.bodyTruncated {
            throw DriverError(Self.spec.key, "the answer of Prometheus at \(shownBase) to query `\(shownQuery)` is larger than "
                              + "\(Self.maxBodyBytes >> 20) MiB; aggregate the query (sum, max, topk…)")
        }
        guard let result = PrometheusQueryResult.parse(response.bodyText) else {
            let snippet = context.mask(Self.snippet(response.bodyText))
            if !(200..<300).contains(response.status) {
                throw DriverError(Self.spec.key, "\(shownBase) answered HTTP \(response.status) to query `\(shownQuery)`: \(snippet); "
                                  + "check that `url` is the Prometheus base URL, like http://127.0.0.1:9090")
            }
            throw DriverError(Self.spec.key, "\(shownBase) answered query `\(shownQuery)` with something other than the Prometheus "
                              + "query API's JSON: \(snippet)")
        }
        return try Self.observation(result, query: shownQuery, base: shownBase, mask: context.mask)
    }

    static func observation(_ result: PrometheusQueryResult, query: String, base: String,
                            mask: (String) -> String) throws -> Observation {
        let value: JSONValue
        let shown: String
        var series: [String: String] = [:]
        let kind: String
        switch result.outcome {
        case .scalar(let text):
            value = PrometheusSample.value(text)
            shown = text
            kind = "scalar"
        case .string(let text):
            value = .string(text)
            shown = "\"\(text)\""
            kind = "string"
        case .vector(let samples):
            guard let sample = samples.first else {
                throw DriverError(Self.spec.key, "query `\(query)` returned no series (Prometheus at \(base)); the metric may not "
                                  + "exist (yet) or the selector matches nothing")
            }
            guard samples.count == 1 else {
                var listed = samples.prefix(listedSeries).map { mask($0.seriesText) }
                if samples.count > listedSeries { listed.append("… (\(samples.count - listedSeries) more)") }
                throw DriverError(Self.spec.key, "query `\(query)` returned \(samples.count) series, expected one: "
                                  + listed.joined(separator: ", ") + "; aggregate them (sum, max…) or narrow the selector")
            }
            value = sample.value
            shown = sample.valueText
            series = sample.labels
            kind = "1 series"
        case .matrix(let items):
            throw DriverError(Self.spec.key, "query `\(query)` returned a range vector (\(items.count) series); the probe needs an "
                              + "instant vector or a scalar: drop the `[…]` range or wrap it in a function such as rate()")
        case .failed(let errorType, let error):
            throw DriverError(Self.spec.key, "Prometheus at \(base) rejected query `\(query)`: \(errorType): \(mask(error))")
        }
        var summary = "\(query) = \(mask(shown)) (\(kind))"
        if !result.warnings.isEmpty { summary += "; warning: " + mask(result.warnings.joined(separator: "; ")) }
        let fields: [String: JSONValue] = ["value": value, "series": .object(series.mapValues { .string($0) })]
        return Observation(value: .object(fields), summary: summary, ok: true)
    }

    /// The plan's `url` without a trailing slash; one with a query or fragment is refused, since the API path is
    /// appended to it.
    static func baseURL(_ url: String) throws -> String {
        guard !url.contains("?"), !url.contains("#") else {
            throw DriverError(Self.spec.key, "`url` must be the Prometheus base URL without a query, like http://127.0.0.1:9090 (got `\(url)`)")
        }
        var base = Substring(url)
        while base.hasSuffix("/") { base = base.dropLast() }
        return String(base)
    }

    /// Percent-encodes everything but RFC 3986's unreserved characters, so `+`, `&`, `=`, `{`, `"` and spaces in
    /// PromQL reach Prometheus unchanged.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }

    /// The start of a body on one line, for messages.
    static func snippet(_ body: String) -> String {
        let line = body.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        if line.isEmpty { return "(empty body)" }
        return line.count > 200 ? String(line.prefix(200)) + "…" : line
    }
}
