/// `undo.started`: the rollbacks (or `recover`) started undoing an owed effect.
public struct UndoStartedRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.undoStarted]
    public static let members = ["id", "description"]

    /// The undo's id.
    public var id: Int?
    /// What undoing does.
    public var description: String?

    public init(data: JSONValue) {
        id = data["id"]?.intValue
        description = data["description"]?.stringValue
    }
}
