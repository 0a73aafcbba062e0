/// How an objective (RTO, RPO) was judged, as journaled in `rto.measured` and `rpo.measured` (`verdict`).
public enum ObjectiveVerdict: String, Sendable, Codable {
    case met
    case notMet = "not-met"
    /// The run could not tell: no outage was observed, or the loss is only bounded from below by less than the
    /// objective, or nothing was measured that the objective could be judged on.
    case inconclusive
}
