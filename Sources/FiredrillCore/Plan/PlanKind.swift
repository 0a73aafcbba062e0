/// The two kinds of plan.
public enum PlanKind: String, Sendable, Codable {
    case experiment = "Experiment"
    case drill = "Drill"
}
