/// Fixed-point rendering of doubles without `String(format:)`, which pulls in locale machinery (megabytes of
/// resident memory) for what is a few digits.
public enum FixedPoint {
    /// `x` rounded to `digits` decimals, always showing them: `format(1.5, 2)` → `1.50`.
    public static func format(_ x: Double, _ digits: Int) -> String {
        guard x.isFinite else { return x.isNaN ? "nan" : (x < 0 ? "-inf" : "inf") }
        guard abs(x) < 9e15 / pow10(digits) else { return String(x) }
        let scale = pow10(digits)
        let scaled = Int64((abs(x) * scale).rounded())
        let whole = scaled / Int64(scale)
        var fraction = String(scaled % Int64(scale))
        while fraction.count < digits { fraction = "0" + fraction }
        let sign = x < 0 && scaled != 0 ? "-" : ""
        return digits == 0 ? "\(sign)\(whole)" : "\(sign)\(whole).\(fraction)"
    }

    /// Zero-padded integer: `padded(7, 2)` → `07`.
    public static func padded(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    static func pow10(_ n: Int) -> Double {
        var p = 1.0
        for _ in 0..<max(0, n) { p *= 10 }
        return p
    }
}
