import FiredrillCore
import Foundation

/// Formatting and escaping shared by the renderers: durations, instants, and text made safe for Markdown, HTML
/// and XML.
public enum ReportText {
    /// A span for people: `842ms`, `12.345s`, `4m 05.2s`, `1h 02m 03s`; `—` for nil.
    public static func seconds(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "—" }
        let sign = value < 0 ? "−" : ""
        let s = abs(value)
        if s < 1 { return sign + "\(Int((s * 1000).rounded()))ms" }
        if s < 60 { return sign + FixedPoint.format(s, 3) + "s" }
        if s < 3600 {
            let tenths = Int((s * 10).rounded())
            let rest = tenths % 600
            return sign + "\(tenths / 600)m \(FixedPoint.padded(rest / 10, 2)).\(rest % 10)s"
        }
        let total = Int(s.rounded())
        return sign + "\(total / 3600)h \(FixedPoint.padded((total % 3600) / 60, 2))m \(FixedPoint.padded(total % 60, 2))s"
    }

    /// A signed offset such as `+1.250s`.
    public static func offset(_ value: Double?) -> String {
        guard let value else { return "—" }
        return (value < 0 ? "" : "+") + seconds(value)
    }

    /// A plain number of seconds with millisecond precision, for tables and charts: `12.345`.
    public static func plainSeconds(_ value: Double) -> String {
        FixedPoint.format(value, 3)
    }

    /// A number with at most three decimals and no trailing zeros: `12`, `0.5`, `99.125`.
    public static func number(_ value: Double) -> String {
        var text = FixedPoint.format(value, 3)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }

    /// A journal timestamp (`2026-01-31T23:59:59.123456Z`) shortened to milliseconds: `2026-01-31 23:59:59.123Z`,
    /// or only the time of day (`23:59:59.123`) when `timeOnly`.
    public static func time(_ rfc3339: String?, timeOnly: Bool = false) -> String {
        guard let t = rfc3339, !t.isEmpty else { return "—" }
        let b = Array(t.utf8)
        guard b.count == 27, b[10] == UInt8(ascii: "T") else { return t }
        let clock = String(decoding: b[11..<23], as: UTF8.self)
        if timeOnly { return clock }
        return String(decoding: b[0..<10], as: UTF8.self) + " " + clock + "Z"
    }

    /// The calendar day (`2026-01-31`) of a journal timestamp.
    public static func day(_ rfc3339: String?) -> String? {
        guard let t = rfc3339, t.utf8.count >= 10 else { return nil }
        return String(t.prefix(10))
    }

    /// The wall time at monotonic offset `mono`, from an event that carries both clocks.
    public static func wallTime(atMono mono: Double, anchorTime: String, anchorMono: Double) -> String {
        guard let micros = JournalClock.microseconds(rfc3339: anchorTime) else { return anchorTime }
        return JournalClock.rfc3339(microseconds: micros + Int64(((mono - anchorMono) * 1_000_000).rounded()))
    }

    /// The first `limit` characters of `text` on one line, with `…` when cut.
    public static func excerpt(_ text: String, limit: Int = 240) -> String {
        let flat = text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        guard flat.count > limit else { return flat }
        return String(flat.prefix(limit)) + "…"
    }

    /// Text for a Markdown table cell or paragraph: HTML-significant characters become entities (so a
    /// renderer shows `<script>` as text, never runs it), and pipes and newlines cannot break the table.
    public static func markdown(_ text: String) -> String {
        escaped(text) { c in
            if let entity = markupEntity(c) { return entity }
            switch c {
            case "|", "`", "*", "_", "[", "]", "\\": return "\\" + String(c)
            case "\n", "\r": return " "
            default: return nil
            }
        }
    }

    /// Text for HTML element content or a quoted attribute value.
    public static func html(_ text: String) -> String {
        escaped(text) { c in
            switch c {
            case "\"": return "&quot;"
            case "'": return "&#39;"
            default: return markupEntity(c)
            }
        }
    }

    /// Text for XML content or a quoted attribute value; characters XML 1.0 forbids are dropped.
    public static func xml(_ text: String) -> String {
        escaped(text) { c in
            switch c {
            case "\"": return "&quot;"
            case "'": return "&apos;"
            case "\n": return "&#10;"
            case "\r": return "&#13;"
            case "\t": return "&#9;"
            default:
                let v = c.value
                let allowed = v >= 0x20 && !(0xD800...0xDFFF).contains(v) && v != 0xFFFE && v != 0xFFFF
                return allowed ? markupEntity(c) : ""
            }
        }
    }

    /// The entity of a character that is markup in HTML and XML alike (`&`, `<`, `>`); nil for any other.
    private static func markupEntity(_ c: Unicode.Scalar) -> String? {
        switch c {
        case "&": return "&amp;"
        case "<": return "&lt;"
        case ">": return "&gt;"
        default: return nil
        }
    }

    /// `text` with every scalar that `replacement` maps replaced by its text; nil keeps the scalar.
    private static func escaped(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text.unicodeScalars {
            if let replaced = replacement(c) { out += replaced } else { out.unicodeScalars.append(c) }
        }
        return out
    }

    /// A value usable in an HTML id: lowercase letters, digits and `-`.
    public static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for c in text.lowercased().unicodeScalars {
            if (c >= "a" && c <= "z") || (c >= "0" && c <= "9") {
                out.unicodeScalars.append(c)
                dash = false
            } else if !dash, !out.isEmpty {
                out += "-"
                dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "x" : out
    }

    /// Compact one-line JSON of a journal value (keys sorted), for excerpts.
    public static func json(_ value: JSONValue) -> String {
        value.canonicalJSON()
    }
}
