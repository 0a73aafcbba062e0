import FiredrillCore
import Synchronization

/// A journal clock the synthetic writer sets before each event.
final class SyntheticClock: Sendable {
    let wallOrigin: Int64
    private let mono = Mutex(0.0)

    init(wallOrigin: Int64) {
        self.wallOrigin = wallOrigin
    }

    func set(_ value: Double) { mono.withLock { $0 = value } }

    var journalClock: JournalClock {
        JournalClock(
            wallMicroseconds: { [self] in wallOrigin + Int64((mono.withLock { $0 } * 1_000_000).rounded()) },
            monotonicSeconds: { [self] in mono.withLock { $0 } }
        )
    }
}
