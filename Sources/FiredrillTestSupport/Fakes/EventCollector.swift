import FiredrillCore
import Synchronization

/// Collects run events, for tests that watch a run as a console would.
public final class EventCollector: RunObserver, Sendable {
    private let events = Mutex([JournalEvent]())

    public init() {}

    public func observe(_ event: RunEvent) {
        if case .journaled(let e) = event { events.withLock { $0.append(e) } }
    }

    public var all: [JournalEvent] { events.withLock { $0 } }
}
