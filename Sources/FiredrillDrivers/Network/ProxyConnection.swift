#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One client connection through the proxy and its upstream connection, carried by the event loop or (once a
/// toxic hits it) by two pump threads, one per direction. The sockets are closed once both pumps have ended (or
/// the loop finished the connection), never while one may still use them.
final class ProxyConnection: Sendable {
    let id: Int
    let client: Int32
    let upstream: Int32
    /// The connection's die roll, 0–100: a toxic with `percent` p hits it when `roll < p`.
    let roll: Double

    private struct State {
        var pumpsLeft = 2
        var marked: Set<String> = []
    }

    private let state = Mutex(State())
    private let resetting = Atomic<Bool>(false)

    init(id: Int, client: Int32, upstream: Int32, roll: Double) {
        self.id = id
        self.client = client
        self.upstream = upstream
        self.roll = roll
    }

    var isResetting: Bool { resetting.load(ordering: .acquiring) }

    /// True the first time `toxic` acts on this connection, so counters count connections, not chunks.
    func mark(_ toxic: String) -> Bool {
        state.withLock { $0.marked.insert(toxic).inserted }
    }

    /// Ends both sides with a TCP reset: the pumps wake (their reads return) and the last one closes the sockets,
    /// which with a zero linger sends RST instead of FIN.
    func reset() {
        guard resetting.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        ProxySocket.lingerZero(client)
        ProxySocket.lingerZero(upstream)
        _ = shutdown(client, Int32(SHUT_RD))
        _ = shutdown(upstream, Int32(SHUT_RD))
    }

    /// Ends both sides at once (a failed write, or the proxy stopping): blocked reads and writes return.
    func abort() {
        _ = shutdown(client, Int32(SHUT_RDWR))
        _ = shutdown(upstream, Int32(SHUT_RDWR))
    }

    /// Closes both sockets at once: the event loop carried the connection to its end, no pump ever ran.
    func closeSockets() {
        state.withLock { $0.pumpsLeft = 0 }
        close(client)
        close(upstream)
    }

    /// Called by each pump as it ends; true for the last one, which has closed both sockets.
    func pumpDone() -> Bool {
        let last = state.withLock { s -> Bool in
            s.pumpsLeft -= 1
            return s.pumpsLeft == 0
        }
        if last {
            close(client)
            close(upstream)
        }
        return last
    }
}
