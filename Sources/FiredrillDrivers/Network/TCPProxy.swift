#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The user-space TCP proxy of `network.proxy`: an acceptor thread on the listening socket; an event loop thread
/// that carries every connection no toxic hits (`ProxyLoop`: small reads copied, large ones spliced); and two
/// pump threads for each connection a toxic hits (`ProxyPump`). It lives in the runner's process, so it ends with the run whatever happens.
final class TCPProxy: Sendable {
    let name: String
    let upstream: ProxySocket.Address
    let counters = ProxyCounters()
    /// How long connecting to the upstream may take before the client is reset.
    let connectTimeoutMs: Int32

    private struct State {
        var listenFD: Int32 = -1
        var bound: ProxySocket.Address
        var toxics: [ProxyDirection: ProxyToxics] = [:]
        var connections: [Int: ProxyConnection] = [:]
        var nextID = 0
        var stopped = false
        var acceptorDone = false
        var listenerClosedByToxic = false
    }

    private let state: Mutex<State>
    private let generation = Atomic<UInt64>(0)
    private let wakeRead: Int32
    private let wakeWrite: Int32
    /// Nil where the system has no epoll/splice: every connection then gets pump threads.
    private let loop = ProxyLoop()

    init(name: String, listen: ProxySocket.Address, upstream: ProxySocket.Address, connectTimeoutMs: Int32 = 5000) {
        self.name = name
        self.upstream = upstream
        self.connectTimeoutMs = connectTimeoutMs
        state = Mutex(State(bound: listen))
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        wakeRead = fds[0]
        wakeWrite = fds[1]
    }

    deinit {
        close(wakeRead)
        close(wakeWrite)
    }

    /// The address it listens on (with the port the kernel chose when the plan gave port 0).
    var listenAddress: ProxySocket.Address { state.withLock { $0.bound } }
    var isStopped: Bool { state.withLock { $0.stopped } }

    /// Binds and starts accepting; returns the address bound.
    func start() -> Result<ProxySocket.Address, ProxyError> {
        let requested = listenAddress
        switch ProxySocket.listen(requested) {
        case .failure(let error): return .failure(error)
        case .success(let fd):
            let bound = ProxySocket.localAddress(fd, like: requested)
            state.withLock {
                $0.listenFD = fd
                $0.bound = bound
            }
            let thread = Thread { [self] in acceptLoop() }
            thread.name = "network.proxy \(name)"
            thread.start()
            if let loop {
                let relay = Thread { [self] in loop.run(self) }
                relay.name = "network.proxy \(name) relay"
                relay.start()
            }
            return .success(bound)
        }
    }

    /// Changes whenever toxics are set or cleared: a pump reads it per chunk (no lock) and the toxics only when it
    /// moved.
    var toxicsGeneration: UInt64 { generation.load(ordering: .acquiring) }

    func toxics(_ direction: ProxyDirection) -> ProxyToxics {
        state.withLock { $0.toxics[direction] ?? ProxyToxics() }
    }

    var allToxics: [ProxyDirection: ProxyToxics] { state.withLock { $0.toxics } }

    /// Sets (replaces) the toxics of `directions`; an empty set clears them.
    func set(_ toxics: ProxyToxics, on directions: [ProxyDirection]) {
        state.withLock { s in
            for d in directions { s.toxics[d] = toxics.isEmpty ? nil : toxics }
            generation.wrappingAdd(1, ordering: .releasing)
        }
        wake()
        loop?.wake()
    }

    /// Stops accepting, ends every connection, and waits (up to `timeout` seconds) for every thread to finish.
    func stop(timeout: Double = 5) -> ProxyCounters.Values {
        let connections = state.withLock { s -> [ProxyConnection] in
            s.stopped = true
            return Array(s.connections.values)
        }
        wake()
        loop?.wake()
        for connection in connections { connection.abort() }
        let deadline = ProxySocket.now() + UInt64(timeout * 1e9)
        while ProxySocket.now() < deadline {
            let (done, left) = state.withLock { ($0.acceptorDone, Array($0.connections.values)) }
            if done && left.isEmpty { break }
            // A connection registered while stopping is ended too.
            for connection in left { connection.abort() }
            ProxySocket.sleep(nanos: 5_000_000)
        }
        return counters.snapshot
    }

    /// Called by the last pump of a connection once its sockets are closed.
    func ended(_ connection: ProxyConnection) {
        state.withLock { _ = $0.connections.removeValue(forKey: connection.id) }
        counters.closed()
    }

    private func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }

    private func acceptLoop() {
        var credit: [ProxyDirection: Double] = [:]
        var last = ProxySocket.now()
        while true {
            let (stopped, listenFD, toxics, bound) = state.withLock { ($0.stopped, $0.listenFD, $0.toxics, $0.bound) }
            if stopped { break }
            let refuseAll = toxics.values.contains { $0.refuse && $0.percent >= 100 }
            var fd = listenFD
            if refuseAll, fd >= 0 {
                close(fd)
                fd = -1
                state.withLock { $0.listenFD = -1 }
                counters.toxic("refuse")
            } else if !refuseAll, fd < 0, case .success(let reopened) = ProxySocket.listen(bound) {
                fd = reopened
                state.withLock { $0.listenFD = reopened }
            }
            let rates = toxics.compactMap { d, t in t.resetRate.map { (d, $0, t.percent) } }
            var timeoutMs: Int32 = 250
            for (_, rate, _) in rates { timeoutMs = min(timeoutMs, Int32(max(1, 1000 / rate / 4))) }
            var fds = [pollfd(fd: wakeRead, events: Int16(POLLIN), revents: 0)]
            if fd >= 0 { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), timeoutMs)
            if ready > 0, fds[0].revents != 0 {
                var drain = [UInt8](repeating: 0, count: 64)
                while read(wakeRead, &drain, drain.count) > 0 {}
            }
            if fds.count > 1, fds[1].revents != 0 { acceptAll(fd, toxics: toxics) }
            let now = ProxySocket.now()
            let elapsed = Double(now - last) / 1e9
            last = now
            for (direction, rate, percent) in rates {
                credit[direction, default: 0] += elapsed * rate
                while credit[direction, default: 0] >= 1 {
                    credit[direction, default: 0] -= 1
                    let hit = state.withLock { s in s.connections.values.filter { $0.roll < percent && !$0.isResetting } }
                    guard let victim = hit.randomElement() else {
                        credit[direction] = 0
                        break
                    }
                    counters.toxic("reset-peer")
                    victim.reset()
                }
            }
            for direction in ProxyDirection.allCases where !rates.contains(where: { $0.0 == direction }) { credit[direction] = 0 }
        }
        let fd = state.withLock { s -> Int32 in
            let fd = s.listenFD
            s.listenFD = -1
            return fd
        }
        if fd >= 0 { close(fd) }
        state.withLock { $0.acceptorDone = true }
    }

    private func acceptAll(_ listenFD: Int32, toxics: [ProxyDirection: ProxyToxics]) {
        let refuse = toxics.values.first { $0.refuse }
        while true {
            let client = accept(listenFD, nil, nil)
            if client < 0 {
                // Out of descriptors: the pending connection stays queued and the listening socket stays readable,
                // so wait a little instead of spinning on it.
                if errno == EMFILE || errno == ENFILE { usleep(50_000) }
                return
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            let roll = Double.random(in: 0..<100)
            if let refuse, roll < refuse.percent {
                ProxySocket.lingerZero(client)
                close(client)
                counters.refused(byToxic: true)
                continue
            }
            ProxySocket.noDelay(client)
            let thread = Thread { [self] in serve(client: client, roll: roll) }
            thread.name = "network.proxy \(name) connection"
            thread.start()
        }
    }

    /// Connects upstream, then gives the connection to the event loop, or to pump threads when a toxic hits it.
    private func serve(client: Int32, roll: Double) {
        let connected = ProxySocket.connect(upstream, timeoutMs: connectTimeoutMs)
        guard case .success(let upstreamFD) = connected else {
            if case .failure(let error) = connected { counters.upstreamFailed(error.description) }
            ProxySocket.lingerZero(client)
            close(client)
            return
        }
        let connection = state.withLock { s -> ProxyConnection? in
            guard !s.stopped else { return nil }
            s.nextID += 1
            let connection = ProxyConnection(id: s.nextID, client: client, upstream: upstreamFD, roll: roll)
            s.connections[connection.id] = connection
            counters.opened()
            return connection
        }
        guard let connection else {
            close(upstreamFD)
            close(client)
            return
        }
        let hit = allToxics.values.contains { $0.hits(roll) }
        if !hit, let loop, loop.adopt(connection) { return }
        startPumps(connection, halves: [])
    }

    /// Starts a pump thread each way; `halves` are what the event loop had of the connection (its pipes, the
    /// bytes in them, whether a side already closed) when a toxic made it hand the connection over.
    func startPumps(_ connection: ProxyConnection, halves: [ProxyLoopRelay.Half]) {
        for direction in ProxyDirection.allCases {
            let up = direction == .upstream
            let pump = ProxyPump(direction: direction, source: up ? connection.client : connection.upstream,
                                 destination: up ? connection.upstream : connection.client, connection: connection,
                                 proxy: self, handed: halves.first { $0.direction == direction })
            let thread = Thread { pump.run() }
            thread.name = "network.proxy \(name) \(direction.rawValue)"
            thread.start()
        }
    }
}
