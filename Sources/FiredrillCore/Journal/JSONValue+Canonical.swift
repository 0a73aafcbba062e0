/// Canonical JSON text: the single byte sequence the journal hashes for a value.
///
/// Rules:
/// - no whitespace anywhere;
/// - object keys sorted by their UTF-8 bytes;
/// - an integral number with magnitude below 10^18 is printed as an integer (`3`, not `3.0`; `-0` as `0`);
///   any other finite number uses the shortest text that reads back to the same `Double` (`0.1`, `1e-07`,
///   `1e+20`); NaN and infinities, which JSON cannot express, become `null`;
/// - strings escape `"` and `\`, use `\b \f \n \r \t` and `\u00XX` (lowercase hex) for the other control
///   characters, and keep every other character as raw UTF-8 (`/` is not escaped).
extension JSONValue {
    /// The canonical JSON text of this value.
    public func canonicalJSON() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        appendCanonical(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    func appendCanonical(to out: inout [UInt8]) {
        switch self {
        case .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let d):
            Self.appendCanonicalNumber(d, to: &out)
        case .string(let s):
            Self.appendCanonicalString(s, to: &out)
        case .array(let items):
            out.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                item.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let fields):
            out.append(UInt8(ascii: "{"))
            let sorted = fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (i, field) in sorted.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.appendCanonicalString(field.key, to: &out)
                out.append(UInt8(ascii: ":"))
                field.value.appendCanonical(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    static func appendCanonicalNumber(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        if d.rounded(.towardZero) == d, d.magnitude < 1e18 {
            out.append(contentsOf: String(Int64(d)).utf8)
        } else {
            out.append(contentsOf: d.description.utf8)
        }
    }

    static func appendCanonicalString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { bytes in
            var runStart = 0
            for (i, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<i]))
                runStart = i + 1
                appendEscape(byte, to: &out)
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscape(_ byte: UInt8, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(byte)
        case 0x08: out.append(UInt8(ascii: "b"))
        case 0x0C: out.append(UInt8(ascii: "f"))
        case 0x0A: out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "t"))
        default:
            out.append(contentsOf: "u00".utf8)
            out.append(JournalHex.digits[Int(byte >> 4)])
            out.append(JournalHex.digits[Int(byte & 0x0F)])
        }
    }
}
