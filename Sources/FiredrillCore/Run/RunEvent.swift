/// What the console sees of a run: every journal event, plus transient progress lines that are not journaled.
public enum RunEvent: Sendable {
    case journaled(JournalEvent)
    case progress(step: String, message: String)
}

/// Receives run events for display (TTY status, plain lines, JSON stream, quiet).
public protocol RunObserver: Sendable {
    func observe(_ event: RunEvent)
}
