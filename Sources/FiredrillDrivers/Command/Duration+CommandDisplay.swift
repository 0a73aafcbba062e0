extension Duration {
    /// Short human form used in messages: `250ms`, `2s`, `1.5s`, `3m20s`.
    var commandDisplay: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds % 1000 == 0 {
            let whole = milliseconds / 1000
            if whole >= 60 {
                let rest = whole % 60
                return rest == 0 ? "\(whole / 60)m" : "\(whole / 60)m\(rest)s"
            }
            return "\(whole)s"
        }
        let tenths = (milliseconds + 50) / 100
        return "\(tenths / 10).\(tenths % 10)s"
    }
}
