import Foundation

/// The one writer of a run's journal. Every event is fsynced before `record` returns, then shown to the observer.
public actor RunRecorder {
    public let journal: Journal
    public let observer: (any RunObserver)?
    private let secrets: [String]
    /// Every event written, for the report at the end.
    public private(set) var events: [JournalEvent] = []
    /// The first journal write that failed (a full disk, an I/O error): from then on nothing more is injected,
    /// restorations still run, and the run's exit status says the record is incomplete.
    public private(set) var writeFailure: String?

    public init(journal: Journal, observer: (any RunObserver)?, secrets: [String]) {
        self.journal = journal
        self.observer = observer
        self.secrets = secrets.filter { !$0.isEmpty }.sorted { $0.count > $1.count }
    }

    /// Journals one event (secrets masked) and returns it once it is on disk.
    @discardableResult
    public func record(_ type: JournalEventType, step: String? = nil, _ data: JSONValue = .object([:])) async throws -> JournalEvent {
        try await record(type: type.rawValue, step: step, data)
    }

    /// Like `note`, for an event a driver names through `DriverContext.record`.
    func note(driverEvent type: String, step: String?, _ data: JSONValue) async {
        do {
            try await record(type: type, step: step, data)
        } catch {
            if await journal.isSealed {
                StandardStreams.err("firedrill: \(type) after the run ended is not journaled: the journal is sealed\n")
                return
            }
            StandardStreams.err("firedrill: journal write failed for \(type): \(error)\n")
        }
    }

    @discardableResult
    private func record(type: String, step: String?, _ data: JSONValue) async throws -> JournalEvent {
        let event: JournalEvent
        do {
            event = try await journal.append(type: type, step: step, data: mask(data))
        } catch {
            // After the seal the run is over: something still running (a proxy left up by `rollbacks: never`) is
            // simply not journaled, and that is no write failure of the run.
            if await journal.isSealed { throw error }
            if writeFailure == nil {
                writeFailure = "\(error)"
                StandardStreams.err("firedrill: THE JOURNAL COULD NOT BE WRITTEN (\(error)): nothing more is injected; rollbacks still run, unrecorded where they must be\n")
            }
            throw error
        }
        events.append(event)
        observer?.observe(.journaled(event))
        return event
    }

    /// Like `record`, but a journal failure is reported on stderr instead of thrown: used on paths that must go on
    /// (rollbacks), where losing an event is better than leaving a fault in place.
    public func note(_ type: JournalEventType, step: String? = nil, _ data: JSONValue = .object([:])) async {
        await note(driverEvent: type.rawValue, step: step, data)
    }

    public nonisolated func progress(step: String, _ message: String) {
        observer?.observe(.progress(step: step, message: mask(message)))
    }

    /// Masks every secret in free text: live progress carries driver error text, which may echo a secret.
    public nonisolated func mask(_ text: String) -> String {
        var out = text
        for secret in secrets { out = out.replacingOccurrences(of: secret, with: "***") }
        return out
    }

    private func mask(_ value: JSONValue) -> JSONValue {
        guard !secrets.isEmpty else { return value }
        switch value {
        case .string(let s):
            return .string(mask(s))
        case .array(let items): return .array(items.map(mask))
        case .object(let fields): return .object(fields.mapValues(mask))
        default: return value
        }
    }
}
