#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// A TCP listener on 127.0.0.1 and a free port that accepts every connection and holds it, counting how many it
/// accepted and how many the other side closed. One thread polls the listening socket, every accepted socket and
/// a stop pipe. `stop()` closes everything and waits for the thread.
final class HoldingTCPListener: Sendable {
    let port: Int
    private let listenFD: Int32
    private let stopRead: Int32
    private let stopWrite: Int32
    private let done = DispatchSemaphore(value: 0)

    private struct Counts {
        var accepted = 0
        var closed = 0
        var stopped = false
    }
    private let counts = Mutex(Counts())

    var accepted: Int { counts.withLock { $0.accepted } }
    var closedByPeer: Int { counts.withLock { $0.closed } }
    var open: Int { counts.withLock { $0.accepted - $0.closed } }

    init() throws {
        var limit = rlimit()
        #if canImport(Glibc)
        let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
        let stream = Int32(SOCK_STREAM.rawValue)
        #else
        let resource = RLIMIT_NOFILE
        let stream = SOCK_STREAM
        #endif
        if getrlimit(resource, &limit) == 0, limit.rlim_cur < limit.rlim_max {
            limit.rlim_cur = limit.rlim_max
            setrlimit(resource, &limit)
        }
        let fd = socket(AF_INET, stream, 0)
        guard fd >= 0 else { throw CloudTestError("socket: \(errno)") }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 4096) == 0 else {
            close(fd)
            throw CloudTestError("bind/listen: \(errno)")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else { throw CloudTestError("pipe: \(errno)") }
        listenFD = fd
        stopRead = pipeFDs[0]
        stopWrite = pipeFDs[1]
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in
            serve()
            done.signal()
        }
        thread.name = "holding-listener"
        thread.start()
    }

    deinit {
        stop()
        close(stopRead)
        close(stopWrite)
    }

    /// Closes the listener and every held connection; waits up to 5 s for the thread. Safe to call twice.
    func stop() {
        let first = counts.withLock { state in
            defer { state.stopped = true }
            return !state.stopped
        }
        guard first else { return }
        var byte: UInt8 = 1
        _ = write(stopWrite, &byte, 1)
        _ = done.wait(timeout: .now() + 5)
    }

    /// Waits (polling, up to `timeout`) until `condition` holds; returns whether it did.
    func wait(upTo timeout: Duration, until condition: (HoldingTCPListener) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition(self) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition(self)
    }

    private func serve() {
        var fds = [pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0), pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 1024)
        loop: while true {
            let ready = poll(&fds, nfds_t(fds.count), 1000)
            if ready < 0 && errno != EINTR { break }
            if fds[0].revents != 0 { break loop }
            if fds[1].revents != 0 {
                while true {
                    let connection = accept(listenFD, nil, nil)
                    if connection < 0 { break }
                    fds.append(pollfd(fd: connection, events: Int16(POLLIN), revents: 0))
                    counts.withLock { $0.accepted += 1 }
                }
                fds[1].revents = 0
            }
            var index = fds.count - 1
            while index >= 2 {
                if fds[index].revents != 0 {
                    let count = buffer.withUnsafeMutableBytes { recv(fds[index].fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
                    if count <= 0 {
                        close(fds[index].fd)
                        fds.remove(at: index)
                        counts.withLock { $0.closed += 1 }
                    } else {
                        fds[index].revents = 0
                    }
                }
                index -= 1
            }
        }
        for entry in fds.dropFirst(2) { close(entry.fd) }
        close(listenFD)
    }
}
