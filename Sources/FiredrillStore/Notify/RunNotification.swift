import FiredrillCore
import Foundation

/// What a notification says: the event, the run it is about, and for the end the ending and the objectives.
public struct RunNotification: Sendable {
    public var event: String
    public var plan: String
    public var title: String
    public var environment: String
    public var runBy: String
    public var runDirectory: String?
    public var time: String
    public var ending: String?
    public var reason: String?
    /// Extra detail: the guard that breached, the rollback that failed.
    public var detail: String?
    public var objectives: [ObjectiveRecord]

    public init(event: String, plan: Plan, runBy: String, runDirectory: String?, ending: String? = nil, reason: String? = nil,
                detail: String? = nil, objectives: [ObjectiveRecord] = [], time: Date = Date()) {
        self.event = event
        self.plan = plan.name
        self.title = plan.title
        self.environment = plan.environment
        self.runBy = runBy
        self.runDirectory = runDirectory
        self.time = RunRecord.rfc3339(time)
        self.ending = ending
        self.reason = reason
        self.detail = detail
        self.objectives = objectives
    }
}
