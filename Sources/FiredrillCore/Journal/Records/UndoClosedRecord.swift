/// `undo.done` or `undo.failed`: how undoing an effect ended.
public struct UndoClosedRecord: JournalRecord {
    public static let eventTypes: Set<JournalEventType> = [.undoDone, .undoFailed]
    public static let members = ["id", "how", "error"]

    /// The undo's id.
    public var id: Int?
    /// `undo.done`: what was done.
    public var how: String?
    /// `undo.failed`: why it failed.
    public var error: String?

    public init(data: JSONValue) {
        id = data["id"]?.intValue
        how = data["how"]?.stringValue
        error = data["error"]?.stringValue
    }

    /// `undo.done`'s `how`, else `undo.failed`'s `error`.
    public var detail: String? { how ?? error }
}
