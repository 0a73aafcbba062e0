/// `run.ended`: the run's verdict, written last.
public struct RunEndedRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.runEnded]
    public static let members = ["ending", "reason", "exit-code", "rollback", "precedence", "recovered-after-rollback"]

    /// `passed`, `failed`, `aborted`, `interrupted`, …
    public var ending: String?
    /// Why.
    public var reason: String?
    /// The process exit status.
    public var exitCode: Int?
    /// What the rollbacks achieved.
    public var rollback: String?
    /// The endings, most severe first.
    public var precedence: [String]
    /// The steady state after the rollbacks; nil when not checked.
    public var recoveredAfterRollback: Bool?

    public init(data: JSONValue) {
        ending = data["ending"]?.stringValue
        reason = data["reason"]?.stringValue
        exitCode = data["exit-code"]?.intValue
        rollback = data["rollback"]?.stringValue
        precedence = data["precedence"]?.arrayValue?.compactMap(\.stringValue) ?? []
        recoveredAfterRollback = data["recovered-after-rollback"]?.boolValue
    }
}
