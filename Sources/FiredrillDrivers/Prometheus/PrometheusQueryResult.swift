import FiredrillCore

/// The answer of the Prometheus HTTP API to an instant query (`GET /api/v1/query`), read from its JSON envelope:
/// `{"status": "success", "data": {"resultType": …, "result": …}, "warnings": […]}` or
/// `{"status": "error", "errorType": "bad_data", "error": "…"}`.
struct PrometheusQueryResult: Sendable, Hashable {
    /// What the expression evaluated to, or why Prometheus refused it.
    enum Outcome: Sendable, Hashable {
        /// The value as printed (`3`, `NaN`, `+Inf`).
        case scalar(String)
        case string(String)
        case vector([PrometheusSample])
        /// A range vector; only the labels of its series are kept (for the message).
        case matrix([[String: String]])
        /// `status: error`: Prometheus's `errorType` (`bad_data`, `execution`, `timeout`…) and `error` text.
        case failed(errorType: String, error: String)
    }

    var outcome: Outcome
    /// Prometheus's `warnings` (a query that touched too much data, say); shown, not judged.
    var warnings: [String]

    /// Reads the API's JSON; nil when `text` is not that envelope (not JSON, another service's JSON, an unknown
    /// `resultType`, a sample without a value).
    static func parse(_ text: String) -> PrometheusQueryResult? {
        guard let root = try? JSONValue.parse(text), let status = root["status"]?.stringValue else { return nil }
        let warnings = root["warnings"]?.arrayValue?.compactMap(\.stringValue) ?? []
        switch status {
        case "error":
            let errorType = root["errorType"]?.stringValue ?? "error"
            let error = root["error"]?.stringValue ?? "no error text"
            return PrometheusQueryResult(outcome: .failed(errorType: errorType, error: error), warnings: warnings)
        case "success":
            guard let data = root["data"], let type = data["resultType"]?.stringValue, let result = data["result"],
                  let outcome = outcome(type, result) else { return nil }
            return PrometheusQueryResult(outcome: outcome, warnings: warnings)
        default:
            return nil
        }
    }

    private static func outcome(_ type: String, _ result: JSONValue) -> Outcome? {
        switch type {
        case "scalar":
            return sampleText(result).map { .scalar($0) }
        case "string":
            return sampleText(result).map { .string($0) }
        case "vector":
            guard let items = result.arrayValue else { return nil }
            var samples: [PrometheusSample] = []
            for item in items {
                guard let text = item["value"].flatMap(sampleText) else { return nil }
                samples.append(PrometheusSample(labels: labels(item["metric"]), valueText: text))
            }
            return .vector(samples)
        case "matrix":
            guard let items = result.arrayValue else { return nil }
            return .matrix(items.map { labels($0["metric"]) })
        default:
            return nil
        }
    }

    /// The text of a `[timestamp, "value"]` pair.
    private static func sampleText(_ pair: JSONValue) -> String? {
        pair[1]?.stringValue
    }

    private static func labels(_ metric: JSONValue?) -> [String: String] {
        (metric?.objectValue ?? [:]).compactMapValues(\.stringValue)
    }
}
