/// What one load loop did; its samples went to the sink as they finished.
struct LoadTotals: Sendable {
    var sent = 0
    var unsent = 0
    var maxInFlight = 0
}
