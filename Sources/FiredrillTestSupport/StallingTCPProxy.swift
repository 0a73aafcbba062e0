#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A loopback TCP forwarder a test controls, placed between two servers (a standby's walreceiver and its primary):
/// each accepted connection is joined to a fresh connection to `127.0.0.1:upstreamPort`, and bytes are copied both
/// ways until either side closes.
///
/// `stall()` stops reading in both directions: bytes pile up in the kernel's socket buffers and TCP's flow control
/// holds both ends, as a stuck network does, while both connections stay open. `resume()` lets them flow again.
/// Nothing read before `stall()` returned is held back; nothing is read after it until `resume()`.
public final class StallingTCPProxy: Sendable {
    public let upstreamPort: Int
    private let listener: LoopbackListener
    private let state = Mutex(State())

    private struct State {
        var stalled = false
    }

    /// The loopback port clients connect to.
    public var port: Int { listener.port }

    /// Whether the proxy is stalled now.
    public var isStalled: Bool { state.withLock { $0.stalled } }

    /// Starts listening and forwarding to `127.0.0.1:upstreamPort`.
    public init(upstreamPort: Int) throws {
        self.upstreamPort = upstreamPort
        listener = try LoopbackListener()
        let upstream = upstreamPort
        let stopFD = listener.stopFD
        listener.start { [weak self] client in
            Self.forward(client, upstreamPort: upstream, stopFD: stopFD) { self?.isStalled ?? true }
        }
    }

    deinit {
        stop()
    }

    /// Stops forwarding in both directions; returns the instant it took effect.
    @discardableResult
    public func stall() -> ContinuousClock.Instant {
        state.withLock { state in
            state.stalled = true
            return ContinuousClock.now
        }
    }

    /// Lets bytes flow again.
    public func resume() {
        state.withLock { $0.stalled = false }
    }

    /// Closes the listener and every forwarded connection. Safe to call more than once.
    public func stop() {
        listener.stop()
    }

    /// Copies bytes between `client` and a new upstream connection until one side closes or the listener stops.
    /// Every poll waits at most 10ms, so a stall takes effect within one copy and a stop within 10ms.
    private static func forward(_ client: Int32, upstreamPort: Int, stopFD: Int32, stalled: () -> Bool) {
        guard let upstream = LoopbackClient.connectedSocket(port: upstreamPort) else { return }
        defer { close(upstream) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let paused = stalled()
            let readable = Int16(paused ? 0 : POLLIN)
            var fds = [pollfd(fd: client, events: readable, revents: 0), pollfd(fd: upstream, events: readable, revents: 0),
                       pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 3, 10)
            if ready < 0 && errno != EINTR { return }
            if fds[2].revents != 0 { return }
            if paused || ready <= 0 { continue }
            for (from, to) in [(fds[0], upstream), (fds[1], client)] where from.revents != 0 {
                // Checked again per copy, so no read starts once `stall()` has returned.
                if stalled() { break }
                let count = read(from.fd, &buffer, buffer.count)
                if count <= 0 {
                    shutdown(to, Int32(SHUT_WR))
                    return
                }
                guard writeAll(to, buffer, count) else { return }
            }
        }
    }

    private static func writeAll(_ fd: Int32, _ buffer: [UInt8], _ count: Int) -> Bool {
        var written = 0
        while written < count {
            let n = buffer.withUnsafeBytes { send(fd, $0.baseAddress! + written, count - written, noSignal) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            written += n
        }
        return true
    }

    #if canImport(Glibc)
    private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
    private static let noSignal: Int32 = 0
    #endif
}
