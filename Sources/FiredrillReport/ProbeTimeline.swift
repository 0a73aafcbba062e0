import FiredrillCore

/// Every probe result of a run, stored by column: one series per probe and role, each with parallel arrays of
/// the monotonic instant, the verdict and the numeric value (the observation's `latency`, or its scalar value).
/// Columns keep 50,000 results cheap to hold, to encode and to chart.
public struct ProbeTimeline: Sendable, Codable {
    /// The results of one probe in one role (`guard`, `recovered`, `steady-state-before`…), in journal order.
    public struct Series: Sendable, Codable {
        public var probe: String
        public var role: String
        /// Which observation field `value` holds (`latency` in seconds, or `value`); nil when none is numeric.
        public var valueField: String?
        public var mono: [Double] = []
        public var passed: [Bool] = []
        public var value: [Double?] = []

        public init(probe: String, role: String) {
            self.probe = probe
            self.role = role
        }

        public var count: Int { mono.count }
    }

    public var series: [Series] = []

    enum CodingKeys: String, CodingKey {
        case series
    }

    public init() {}

    /// How many results in all.
    public var count: Int { series.reduce(0) { $0 + $1.count } }

    /// Probe names in order of first appearance.
    public var probeNames: [String] {
        var seen = Set<String>()
        return series.compactMap { seen.insert($0.probe).inserted ? $0.probe : nil }
    }

    /// The numeric value a chart can plot from an observation: its `latency`, else `value`, else the observation
    /// itself when it is a number.
    public static func numericValue(_ observed: JSONValue?) -> (field: String, value: Double)? {
        switch observed {
        case .number(let d)?: return ("value", d)
        case .object(let fields)?:
            if case .number(let d)? = fields["latency"] { return ("latency", d) }
            if case .number(let d)? = fields["value"] { return ("value", d) }
            return nil
        default: return nil
        }
    }
}
