/// `undo.intent`: an effect about to be applied, and how to undo it.
public struct UndoIntentRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.undoIntent]
    public static let members = ["id", "key", "params", "description", "restoration", "cleanup"]

    /// The undo's id, unique in the run.
    public var id: Int?
    /// The driver key that undoes it.
    public var key: String?
    /// The undo's parameters.
    public var params: JSONValue?
    /// What undoing does.
    public var description: String?
    /// Applied by a rollback or failback step: never owed.
    public var restoration: Bool
    /// A cleanup, owed even for a restoration.
    public var cleanup: Bool

    public init(data: JSONValue) {
        id = data["id"]?.intValue
        key = data["key"]?.stringValue
        params = data["params"]
        description = data["description"]?.stringValue
        restoration = data["restoration"]?.boolValue == true
        cleanup = data["cleanup"]?.boolValue == true
    }
}
