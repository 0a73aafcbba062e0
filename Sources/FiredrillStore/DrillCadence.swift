import FiredrillCore
import Foundation

/// A scheduled plan's due dates against its runs: which were run, missed or failed, whether the drill is overdue
/// now, and when it is due next. Due dates come from the cron in the plan's timezone (DST-correct, see
/// `CronExpression.next(after:in:)`); a run counts for the latest due date at or before its start plus `grace`.
public struct DrillCadence: Sendable {
    public enum SlotStatus: String, Sendable, Codable {
        /// A run of the slot went to its end: it passed, or it deviated (the drill did its job and found something).
        case run
        /// Runs happened but none went to its end (failed, aborted, interrupted, never ended).
        case failed
        /// No run, and the grace period is over.
        case missed
        /// No run yet, still within the grace period.
        case pending
    }

    public struct Slot: Sendable, Codable, Equatable {
        public var due: Date
        public var status: SlotStatus
    }

    public var slots: [Slot]
    public var next: Date?
    public var lastRun: RunStart?

    /// The most recent slot whose grace period is over was missed or failed: the drill is overdue.
    public var overdue: Bool {
        guard let last = slots.last(where: { $0.status != .pending }) else { return false }
        return last.status == .missed || last.status == .failed
    }

    /// Endings that count as the drill done.
    public static let doneEndings: Set<String> = ["passed", "deviated"]

    public var missedCount: Int { slots.filter { $0.status == .missed }.count }

    /// At most this many slots are kept (the most recent).
    public static let maxSlots = 2000

    /// The cadence of `cron` in `timeZone` over `runs` of one plan, from `from` (default: the first run, else a
    /// week before `now`) to `now`.
    public static func compute(cron: CronExpression, timeZone: TimeZone, runs: [RunRecord], now: Date,
                               from: Date? = nil, grace: TimeInterval = 3600) -> DrillCadence {
        compute(cron: cron, timeZone: timeZone, starts: runs.map(\.start), now: now, from: from, grace: grace)
    }

    /// The cadence over the starts of one plan's runs (what `due` reads from the store: no objectives needed).
    public static func compute(cron: CronExpression, timeZone: TimeZone, starts runs: [RunStart], now: Date,
                               from: Date? = nil, grace: TimeInterval = 3600) -> DrillCadence {
        // Only what the slots need is sorted.
        let sorted = runs.map { (epoch: $0.startedEpoch, done: $0.ending.map(doneEndings.contains) ?? false) }.sorted { $0.epoch < $1.epoch }
        // A never-run plan is judged from a week back: its most recent due date in that week counts as missed.
        let start = from ?? sorted.first.map { Date(timeIntervalSince1970: $0.epoch - grace) } ?? now.addingTimeInterval(-7 * 86_400)
        var dues: [Date] = []
        var cursor = start.addingTimeInterval(-1)
        // Bounded: at most 100 000 steps, keeping the most recent `maxSlots`.
        for _ in 0..<100_000 {
            guard let due = cron.next(after: cursor, in: timeZone), due <= now else { break }
            dues.append(due)
            if dues.count > maxSlots * 2 { dues.removeFirst(dues.count - maxSlots) }
            cursor = due
        }
        if dues.count > maxSlots { dues.removeFirst(dues.count - maxSlots) }
        var slots = dues.map { Slot(due: $0, status: now.timeIntervalSince($0) < grace ? .pending : .missed) }
        var index = 0
        for run in sorted {
            let start = run.epoch + grace
            while index + 1 < dues.count, dues[index + 1].timeIntervalSince1970 <= start { index += 1 }
            guard index < dues.count, dues[index].timeIntervalSince1970 <= start else { continue }
            if run.done {
                slots[index].status = .run
            } else if slots[index].status != .run {
                slots[index].status = .failed
            }
        }
        // RFC 3339 UTC times of one width order as text.
        return DrillCadence(slots: slots, next: cron.next(after: now, in: timeZone), lastRun: runs.max { $0.startedAt < $1.startedAt })
    }
}
