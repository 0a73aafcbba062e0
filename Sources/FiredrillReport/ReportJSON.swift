import FiredrillCore
import Foundation

/// `report.json`: the `RunReport` as JSON (`firedrill.report/v1`, see `docs/report-schema.md`), pretty-printed with
/// sorted keys. The probe timeline, which can hold 50,000 results, is written by hand with one line per column
/// instead of one line per number: the same JSON value, a third of the size, several times faster.
public enum ReportJSON {
    static let placeholder = "\u{1}firedrill-timeline\u{1}"
    static let placeholderKey = CodingUserInfoKey(rawValue: "firedrill.timeline-placeholder")!

    public static func render(_ r: RunReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[placeholderKey] = true
        guard let data = try? encoder.encode(r) else { return JSONOutput.pretty(r) + "\n" }
        let text = String(decoding: data, as: UTF8.self)
        let quoted = JSONValue.string(placeholder).canonicalJSON()
        guard let at = text.range(of: quoted) else { return text + "\n" }
        return text.replacingCharacters(in: at, with: timeline(r.timeline)) + "\n"
    }

    /// The timeline object, indented to sit at the top level of the report.
    static func timeline(_ t: ProbeTimeline) -> String {
        var out = "{\n    \"series\" : ["
        for (i, s) in t.series.enumerated() {
            out += i == 0 ? "\n" : ",\n"
            out += "      {\n"
            out += "        \"mono\" : " + numbers(s.mono.lazy.map { Optional($0) }) + ",\n"
            out += "        \"passed\" : [" + s.passed.map { $0 ? "true" : "false" }.joined(separator: ",") + "],\n"
            out += "        \"probe\" : " + JSONValue.string(s.probe).canonicalJSON() + ",\n"
            out += "        \"role\" : " + JSONValue.string(s.role).canonicalJSON() + ",\n"
            out += "        \"value\" : " + numbers(s.value)
            if let field = s.valueField { out += ",\n        \"valueField\" : " + JSONValue.string(field).canonicalJSON() }
            out += "\n      }"
        }
        out += t.series.isEmpty ? "]\n  }" : "\n    ]\n  }"
        return out
    }

    static func numbers<S: Sequence<Double?>>(_ values: S) -> String {
        var out = "["
        var first = true
        for v in values {
            if !first { out += "," }
            first = false
            if let v, v.isFinite { out += "\(v)" } else { out += "null" }
        }
        return out + "]"
    }
}

extension ProbeTimeline {
    /// Encodes normally, or as `ReportJSON`'s placeholder when `ReportJSON` writes the timeline itself.
    public func encode(to encoder: any Encoder) throws {
        if encoder.userInfo[ReportJSON.placeholderKey] as? Bool == true {
            var c = encoder.singleValueContainer()
            try c.encode(ReportJSON.placeholder)
            return
        }
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(series, forKey: .series)
    }
}
