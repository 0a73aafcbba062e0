import Foundation

/// Reading and writing the plain decimal numbers that every value in a plan starts with.
///
/// Only ASCII digits count: `5`, `1.5`, `.5`; no exponent, hex, `inf` or `nan`, so `Double(String)`'s extras never
/// leak into plan syntax.
enum DecimalText {
    /// A number at the start of some text, split into its parts.
    struct Scan {
        var negative: Bool
        var integer: Substring
        var fraction: Substring
        /// The number as written, sign included.
        var number: Substring
        /// Everything after the number.
        var rest: Substring
    }

    static func isDigit(_ c: Character) -> Bool {
        guard let a = c.asciiValue else { return false }
        return a >= 48 && a <= 57
    }

    /// The number that `text` starts with, or nil when it does not start with one (an optional `+`/`-` sign, then
    /// digits with an optional `.fraction`).
    static func scan(_ text: Substring) -> Scan? {
        var i = text.startIndex
        var negative = false
        if i < text.endIndex, text[i] == "-" || text[i] == "+" {
            negative = text[i] == "-"
            i = text.index(after: i)
        }
        let intStart = i
        while i < text.endIndex, isDigit(text[i]) { i = text.index(after: i) }
        let integer = text[intStart..<i]
        var fraction = text[i..<i]
        if i < text.endIndex, text[i] == "." {
            let fracStart = text.index(after: i)
            var j = fracStart
            while j < text.endIndex, isDigit(text[j]) { j = text.index(after: j) }
            if j > fracStart {
                fraction = text[fracStart..<j]
                i = j
            }
        }
        guard !integer.isEmpty || !fraction.isEmpty else { return nil }
        return Scan(negative: negative, integer: integer, fraction: fraction, number: text[text.startIndex..<i], rest: text[i...])
    }

    /// The value of `text` when it is exactly a plain number (sign, digits, fraction, and an optional exponent such
    /// as `1e3`, as YAML allows), and finite.
    static func plainNumber<S: StringProtocol>(_ text: S) -> Double? {
        let sub = Substring(text)
        guard let s = scan(sub) else { return nil }
        var rest = s.rest
        if let e = rest.first, e == "e" || e == "E" {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == "+" || sign == "-" { rest = rest.dropFirst() }
            guard !rest.isEmpty, rest.count <= 4, rest.allSatisfy(isDigit) else { return nil }
            rest = rest[rest.endIndex...]
        }
        guard rest.isEmpty, let value = Double(String(sub)), value.isFinite else { return nil }
        return value
    }

    /// `integer.fraction × multiplier` computed exactly in integers; `exact` is false when the fraction had more
    /// precision than the result can hold (the result is then truncated). Nil on overflow.
    static func scaled(integer: Substring, fraction: Substring, multiplier: Int128) -> (value: Int128, exact: Bool)? {
        let digits = integer.drop { $0 == "0" }
        guard digits.count <= 36 else { return nil }
        var whole: Int128 = 0
        for c in digits { whole = whole * 10 + Int128((c.asciiValue ?? 48) &- 48) }
        let (product, overflow) = whole.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }

        var frac = fraction
        while frac.last == "0" { frac = frac.dropLast() }
        var exact = true
        if frac.count > 18 {
            if frac.dropFirst(18).contains(where: { $0 != "0" }) { exact = false }
            frac = frac.prefix(18)
        }
        guard !frac.isEmpty else { return (product, exact) }
        var numerator: Int128 = 0
        for c in frac { numerator = numerator * 10 + Int128((c.asciiValue ?? 48) &- 48) }
        var scale: Int128 = 1
        for _ in 0..<frac.count { scale *= 10 }
        // numerator/scale × m = numerator × (m / scale) + numerator × (m % scale) / scale, without overflow.
        let high = numerator * (multiplier / scale)
        let lowProduct = numerator * (multiplier % scale)
        if lowProduct % scale != 0 { exact = false }
        let (total, overflow2) = product.addingReportingOverflow(high + lowProduct / scale)
        guard !overflow2 else { return nil }
        return (total, exact)
    }

    /// `value / unit` as a decimal with trailing zeros removed (`1500, 1000` → `1.5`), and whether it is exact within
    /// `maxDigits` fraction digits (otherwise it is truncated).
    static func ratio(_ value: Int128, _ unit: Int128, maxDigits: Int = 18) -> (text: String, exact: Bool) {
        guard unit > 0 else { return ("0", false) }
        let whole = value / unit
        var rest = value % unit
        var digits = ""
        while rest != 0, digits.count < maxDigits {
            rest *= 10
            digits.append(String(rest / unit))
            rest %= unit
        }
        while digits.last == "0" { digits.removeLast() }
        return (digits.isEmpty ? String(whole) : "\(whole).\(digits)", rest == 0)
    }

    /// A short human rendering of a double: `503`, `97.5`, `0.000123`, `1.5e+20`.
    static func format(_ x: Double, maxFractionDigits: Int = 6) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x < 0 ? "-inf" : "inf" }
        if x == x.rounded(), abs(x) < 1e15 { return String(Int64(x)) }
        if abs(x) >= 1e15 { return String(format: "%g", x) }
        var text = FixedPoint.format(x, maxFractionDigits)
        if text.contains(".") {
            while text.last == "0" { text.removeLast() }
            if text.last == "." { text.removeLast() }
        }
        if text == "0" || text == "-0" { return String(format: "%g", x) }
        return text
    }

    /// `text` in double quotes with JSON escapes, shortened to `limit` characters.
    static func quoted(_ text: String, limit: Int = 80) -> String {
        var out = "\""
        var count = 0
        for c in text {
            if count >= limit { out += "…"; break }
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if let a = c.asciiValue, a < 32 { out += String(format: "\\u%04x", a) } else { out.append(c) }
            }
            count += 1
        }
        return out + "\""
    }
}

extension Substring {
    /// The text without leading and trailing whitespace.
    func trimmingWhitespace() -> Substring {
        var s = self
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
