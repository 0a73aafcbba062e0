import FiredrillCore

/// What a traffic stream saw over a span: counts, success ratio, latency percentiles and errors by kind. The
/// observed fields of the `traffic` probe.
struct TrafficSummary: Sendable, Equatable {
    var requests = 0
    var ok = 0
    /// Seconds the figures cover.
    var seconds = 0.0
    /// Latency percentiles and maximum in seconds, over every request (failed ones included: a timeout is
    /// what its user waited); nil when nothing finished.
    var p50: Double?
    var p95: Double?
    var p99: Double?
    var max: Double?
    var errorKinds: [String: Int] = [:]
    var statuses: [Int: Int] = [:]

    var errors: Int { requests - ok }
    /// Percent of requests that succeeded, 0–100; nil when there was none.
    var success: Double? { requests > 0 ? 100 * Double(ok) / Double(requests) : nil }
    var rate: Double { seconds > 0 ? Double(requests) / seconds : 0 }

    var json: JSONValue {
        var fields: [String: JSONValue] = [
            "requests": .number(Double(requests)), "ok": .number(Double(ok)), "errors": .number(Double(errors)),
            "rate": .number(rate), "seconds": .number(seconds),
            "error-kinds": .object(errorKinds.mapValues { .number(Double($0)) }),
            "statuses": .object(Dictionary(uniqueKeysWithValues: statuses.map { (String($0.key), JSONValue.number(Double($0.value))) })),
        ]
        fields["success"] = success.map { .number($0) } ?? .null
        for (name, value) in [("p50", p50), ("p95", p95), ("p99", p99), ("max", max)] {
            fields[name] = value.map { .number($0) } ?? .null
        }
        return .object(fields)
    }

    /// `980 requests in 10s (98.0/s): 99.9% ok; p50 1.2ms p95 3ms p99 812ms max 1.01s; 1 timed out`
    var line: String {
        var text = "\(requests) requests in \(Self.span(seconds)) (\(Self.oneDecimal(rate))/s)"
        guard let success else { return text + ": none finished" }
        text += ": \(Self.percent(success)) ok"
        if let p50, let p95, let p99, let max {
            text += "; p50 \(Self.latency(p50)) p95 \(Self.latency(p95)) p99 \(Self.latency(p99)) max \(Self.latency(max))"
        }
        if !errorKinds.isEmpty {
            text += "; " + errorKinds.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
                .map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        }
        return text
    }

    static func latency(_ seconds: Double) -> String {
        if seconds >= 1 { return "\(trimmed(seconds, digits: 2))s" }
        return "\(trimmed(seconds * 1000, digits: seconds >= 0.01 ? 0 : 1))ms"
    }

    private static func span(_ seconds: Double) -> String { "\(trimmed(seconds, digits: 1))s" }
    private static func percent(_ value: Double) -> String { "\(trimmed(value, digits: value >= 99 && value < 100 ? 2 : 1))%" }
    private static func oneDecimal(_ value: Double) -> String { trimmed(value, digits: 1) }

    /// `value` rounded to `digits` decimals, without trailing zeros.
    private static func trimmed(_ value: Double, digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded() { return String(Int(rounded)) }
        var text = String(rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }
}
