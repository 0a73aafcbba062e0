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
    public func willApply(_ action: UndoAction, step: String) async throws -> UndoToken {
        let token = UndoToken(id: nextID)
        nextID += 1
        try await recorder.record("undo.intent", step: step, [
            "id": .number(Double(token.id)), "key": .string(action.key), "params": action.params,
            "description": .string(action.description),
        ])
        entries.append(Entry(token: token, step: step, action: action, done: false))
        return token
    }

    public func didUndo(_ token: UndoToken, how: String) async throws {
        guard let index = entries.firstIndex(where: { $0.token == token }), !entries[index].done else { return }
        entries[index].done = true
        try await recorder.record("undo.done", step: entries[index].step, ["id": .number(Double(token.id)), "how": .string(how)])
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
