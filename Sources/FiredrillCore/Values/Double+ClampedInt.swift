extension Double {
    /// The whole number nearest below this value, clamped to `Int`'s range: NaN is 0, infinities and values out of
    /// range are `Int.min` or `Int.max`. Arithmetic on numbers a plan gives (rates times elapsed seconds) goes through
    /// it, so no value can trap the conversion.
    public var clampedInt: Int {
        if isNaN { return 0 }
        let floored = rounded(.down)
        if floored >= 9_223_372_036_854_775_807.0 { return Int.max }
        if floored <= -9_223_372_036_854_775_808.0 { return Int.min }
        return Int(floored)
    }
}
