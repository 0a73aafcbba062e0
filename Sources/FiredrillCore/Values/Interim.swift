// Interim value parsing until the full value language lands.
import Foundation

public struct ValueError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var hint: String?
    public init(_ message: String, hint: String? = nil) { self.message = message; self.hint = hint }
    public var description: String { message }
}

public enum DurationSyntax {
    public static func parse(_ text: String) throws(ValueError) -> Duration {
        let units: [(String, Double)] = [("ms", 0.001), ("us", 0.000001), ("s", 1), ("m", 60), ("h", 3600), ("d", 86400)]
        for (u, f) in units where text.hasSuffix(u) {
            if let v = Double(text.dropLast(u.count)), v >= 0 { return .milliseconds(Int64(v * f * 1000)) }
        }
        throw ValueError("a duration needs a unit", hint: "write it with a unit: 500ms, 5s, 15m, 1h (units: us, ms, s, m, h, d)")
    }
    public static func format(_ d: Duration) -> String { "\(d)" }
}

public struct Rate: Sendable, Hashable {
    public var perSecond: Double
    public static func parse(_ text: String) throws(ValueError) -> Rate {
        if text.hasSuffix("/s"), let v = Double(text.dropLast(2)), v > 0 { return Rate(perSecond: v) }
        throw ValueError("not a rate", hint: "write a rate like 50/s or 600/m")
    }
}

public struct Percentage: Sendable, Hashable {
    public var value: Double
    public static func parse(_ text: String) throws(ValueError) -> Percentage {
        guard text.hasSuffix("%"), let v = Double(text.dropLast()) else { throw ValueError("not a percentage", hint: "write it as a percentage: 99%") }
        guard v >= 0, v <= 100 else { throw ValueError("percentage out of range: \(text) (must be between 0% and 100%)") }
        return Percentage(value: v)
    }
}

public struct ByteSize: Sendable, Hashable {
    public var bytes: Int64
    public static func parse(_ text: String) throws(ValueError) -> ByteSize {
        if text.hasSuffix("MiB"), let v = Double(text.dropLast(3)) { return ByteSize(bytes: Int64(v * 1_048_576)) }
        throw ValueError("not a size")
    }
}

public struct CronExpression: Sendable {
    public static func parse(_ text: String) throws(ValueError) -> CronExpression {
        let f = text.split(separator: " ")
        guard f.count == 5 else { throw ValueError("cron needs 5 fields (minute hour day month weekday), found \(f.count)") }
        return CronExpression()
    }
    public static func isValidTimeZone(_ id: String) -> Bool { TimeZone(identifier: id) != nil }
}

public indirect enum Tolerance: Sendable, Hashable {
    case literal(JSONValue)
    public static func parse(_ node: PlanNode) -> (Tolerance?, [Diagnostic]) {
        if let s = node.scalar, s.hasPrefix("<<") { return (nil, [Diagnostic(at: node.location, "malformed tolerance")]) }
        return (.literal(.string(node.scalar ?? "")), [])
    }
}

public struct Judgement: Sendable {
    public var passed: Bool
    public var expected: String
    public var observed: String
    public var message: String
}

extension Tolerance {
    public func judge(_ observed: JSONValue, label: String) -> Judgement {
        Judgement(passed: true, expected: "", observed: "", message: "")
    }
}
