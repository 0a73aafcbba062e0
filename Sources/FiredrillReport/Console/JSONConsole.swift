import FiredrillCore
import Foundation

/// `--json`: every journal event as one JSON line on stdout, as written to the journal.
public final class JSONConsole: RunObserver, @unchecked Sendable {
    // Stateless: each call writes one whole line.
    public init() {}

    public func observe(_ event: RunEvent) {
        guard case .journaled(let e) = event else { return }
        StandardStreams.out(e.canonicalLine() + "\n")
    }
}
