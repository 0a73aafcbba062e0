/// The faults in effect that know how to undo themselves. An entry is journaled as `undo.intent` (fsynced)
/// before its fault takes effect, and closed by `undo.done` when the fault undid itself or a rollback undid it.
public actor UndoLedger {
    /// One recorded undo and whether it is still owed.
    public struct Entry: Sendable {
        public var token: UndoToken
        public var step: String
        public var action: UndoAction
        public var done: Bool
    }

    private let recorder: RunRecorder
    private var entries: [Entry] = []
    private var nextID: Int

    public init(recorder: RunRecorder, startingAt id: Int = 1) {
        self.recorder = recorder
        self.nextID = id
    }

    /// Journals the intent and returns once it is on disk.
    ///
    /// In a restoration (a rollback or failback step) the intent is journaled with `restoration: true` and is
    /// never owed: the step puts things back, and undoing it would reverse that. What a failed restoration still
    /// owes is the restoration step itself. A `cleanup` undo (ending a process group the step started) is owed
    /// in every phase.
    public func willApply(_ action: UndoAction, step: String, restoration: Bool = false) async throws -> UndoToken {
        let token = UndoToken(id: nextID)
        nextID += 1
        let restores = restoration && !action.cleanup
        var data: [String: JSONValue] = [
            "id": .number(Double(token.id)), "key": .string(action.key), "params": action.params,
            "description": .string(action.description),
        ]
        if restores { data["restoration"] = true }
        if action.cleanup { data["cleanup"] = true }
        if restoration {
            // A restoration goes ahead even when its record cannot be written.
            await recorder.note(.undoIntent, step: step, .object(data))
        } else {
            if let failure = await recorder.writeFailure {
                throw RunError("not applied: nothing is injected once the journal could not be written (\(failure))")
            }
            try await recorder.record(.undoIntent, step: step, .object(data))
        }
        entries.append(Entry(token: token, step: step, action: action, done: restores))
        return token
    }

    public func didUndo(_ token: UndoToken, how: String) async throws {
        guard let index = entries.firstIndex(where: { $0.token == token }), !entries[index].done else { return }
        entries[index].done = true
        try await recorder.record(.undoDone, step: entries[index].step, ["id": .number(Double(token.id)), "how": .string(how)])
    }

    public func adopt(_ entry: Entry) {
        entries.append(entry)
        nextID = max(nextID, entry.token.id + 1)
    }

    /// Open entries, newest first: the order they must be undone in.
    public var pending: [Entry] { entries.filter { !$0.done }.reversed() }

    public func markDone(_ token: UndoToken) {
        if let index = entries.firstIndex(where: { $0.token == token }) { entries[index].done = true }
    }
}
