import FiredrillCore

/// One sample of an instant vector: the series' labels and the value as Prometheus printed it.
struct PrometheusSample: Sendable, Hashable {
    var labels: [String: String]
    /// `0.25`, `NaN`, `+Inf`, `-Inf`: the API sends every sample value as a string.
    var valueText: String

    /// A finite value as a number; `NaN`, `+Inf` and `-Inf` stay strings (JSON has no number for them).
    var value: JSONValue { Self.value(valueText) }

    /// The series in PromQL's own notation, `up{instance="a:9100",job="node"}`, labels sorted.
    var seriesText: String { Self.seriesText(labels) }

    static func value(_ text: String) -> JSONValue {
        if let number = Double(text), number.isFinite { return .number(number) }
        return .string(text)
    }

    static func seriesText(_ labels: [String: String]) -> String {
        let pairs = labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\"\(escaped($0.value))\"" }
        let name = labels["__name__"] ?? ""
        return pairs.isEmpty && !name.isEmpty ? name : name + "{" + pairs.joined(separator: ",") + "}"
    }

    private static func escaped(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
