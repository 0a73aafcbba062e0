import FiredrillCore
import Foundation

/// Shared measurements and helpers of the inline SVG charts.
public struct ChartGeometry {
    var width: Double = 960
    var height: Double
    var left: Double = 70
    var right: Double = 16
    var top: Double = 18
    var bottom: Double = 28

    var plotWidth: Double { width - left - right }
    var plotHeight: Double { height - top - bottom }
    var plotBottom: Double { height - bottom }

    /// A coordinate with one decimal, the precision the charts need, keeping the SVG small.
    public static func n(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : FixedPoint.format(r, 1)
    }

    /// About `count` round tick values covering 0…`max`.
    public static func ticks(upTo max: Double, count: Int = 5) -> [Double] {
        guard max > 0, max.isFinite else { return [0] }
        let raw = max / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        var v = 0.0
        while v <= max + step * 1e-9, out.count < 50 {
            out.append(v)
            v += step
        }
        return out
    }

    /// Ticks for a time axis in seconds, at human steps (1s, 5s, 10s, 30s, 1m, 5m, 10m, 15m, 30m, 1h…).
    static func timeTicks(from lower: Double, to upper: Double, count: Int = 8) -> [Double] {
        let span = max(upper - lower, 1e-3)
        let steps: [Double] = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 21600, 43200, 86400]
        let step = steps.first { span / $0 <= Double(count) } ?? span / Double(count)
        var v = (lower / step).rounded(.up) * step
        var out: [Double] = []
        while v <= upper + step * 1e-9, out.count < 100 {
            out.append(v)
            v += step
        }
        return out
    }

    /// A time-axis label: `+850ms`, `+12s`, `+5m`, `+1h 30m`.
    static func timeLabel(_ s: Double) -> String {
        let a = abs(s)
        if a < 0.0005 { return "0" }
        let sign = s < 0 ? "−" : "+"
        if a < 1 { return sign + "\(Int((a * 1000).rounded()))ms" }
        if a < 60 { return sign + (a == a.rounded() ? "\(Int(a))s" : FixedPoint.format(a, 1) + "s") }
        if a < 3600 {
            let m = Int(a) / 60, sec = Int(a) % 60
            return sign + (sec == 0 ? "\(m)m" : "\(m)m\(sec)s")
        }
        let h = Int(a) / 3600, m = (Int(a) % 3600) / 60
        return sign + (m == 0 ? "\(h)h" : "\(h)h\(m)m")
    }

    /// A value label in the field's unit (`latency` is seconds, shown in ms below 1s).
    static func valueLabel(_ v: Double, field: String?) -> String {
        if field == "latency" {
            return v < 1 ? "\(Int((v * 1000).rounded()))ms" : FixedPoint.format(v, 2) + "s"
        }
        return ReportText.number(v)
    }
}
