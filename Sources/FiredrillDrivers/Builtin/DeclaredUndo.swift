import FiredrillCore

/// An undo driver that names the key its faults journal (`UndoAction.key`), so the registry can map it without a
/// second list. Undos have no catalog entry: plans never name them.
public protocol DeclaredUndo: UndoDriver, RegisteredDriver {
    /// The key an `UndoAction` of this undo carries in the journal (`process.resume`, `flood.release`…).
    static var key: String { get }
}
