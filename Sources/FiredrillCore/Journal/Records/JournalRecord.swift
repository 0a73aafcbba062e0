/// A typed view of the `data` of one journal event type: its members as Swift properties, read from the JSON as
/// written, never changing it (the on-disk format is `JournalEvent`'s and stays byte-identical).
///
/// `JournalEventType` is the one place where an event's name and members are written down; a record names the
/// members it reads in `members`, and `JournalRecordTests` checks each is declared there for every type the
/// record reads. Readers (the report builder, `recover`, the consoles) use records rather than string keys.
/// A member that is absent or of another JSON type reads as nil, so a journal from an earlier release (or one cut
/// short) still reads.
public protocol JournalRecord: Sendable {
    /// The event types whose `data` this record reads.
    static var eventTypes: Set<JournalEventType> { get }
    /// The `data` members this record reads.
    static var members: [String] { get }
    /// Reads `data`, whatever event carried it.
    init(data: JSONValue)
}

extension JournalRecord {
    /// The record of `event`, or nil when the event is of another type.
    public init?(_ event: JournalEvent) {
        guard let type = event.eventType, Self.eventTypes.contains(type) else { return nil }
        self.init(data: event.data)
    }
}
