#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// The listening half of the test servers (HTTP servers, the stalling TCP proxy): a TCP socket on 127.0.0.1 and a free port, one thread per accepted
/// connection running the server's handler (the connection is closed when the handler returns), and `stop()`,
/// which stops accepting, shuts every open connection down and waits (up to 5 s) for the threads.
public final class LoopbackListener: Sendable {
    public let port: Int
    /// Readable once `stop()` has been called, so a handler that waits can poll it beside its own work.
    public let stopFD: Int32
    private let stopWriteFD: Int32
    private let listenFD: Int32
    private let threads = DispatchGroup()

    private struct State {
        var connections: Set<Int32> = []
        var accepted = 0
        var stopped = false
    }
    private let state = Mutex(State())

    /// Connections accepted so far.
    public var acceptedConnections: Int { state.withLock { $0.accepted } }

    public init() throws {
        let (fd, port) = try listeningLoopbackSocket(backlog: 128)
        var pipeFDs: [Int32] = [-1, -1]
        guard pipe(&pipeFDs) == 0 else {
            close(fd)
            throw ServerError("pipe", errno)
        }
        listenFD = fd
        stopFD = pipeFDs[0]
        stopWriteFD = pipeFDs[1]
        self.port = port
    }

    deinit {
        stop()
        close(stopFD)
        close(stopWriteFD)
    }

    /// Starts accepting; each connection runs `handler` on a thread of its own. Only those threads hold `handler`,
    /// so a server that owns this listener is released once it has stopped.
    public func start(_ handler: @escaping @Sendable (Int32) -> Void) {
        threads.enter()
        Thread { [self] in
            acceptLoop(handler)
            threads.leave()
        }.start()
    }

    /// Stops accepting, ends every connection, makes `stopFD` readable, and waits (up to 5 s) for all threads.
    /// Safe to call more than once.
    public func stop() {
        let alreadyStopped = state.withLock { state in
            defer { state.stopped = true }
            if !state.stopped {
                var byte: UInt8 = 1
                _ = write(stopWriteFD, &byte, 1)
                for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
            }
            return state.stopped
        }
        guard !alreadyStopped else { return }
        _ = threads.wait(timeout: .now() + 5)
        close(listenFD)
    }

    private func acceptLoop(_ handler: @escaping @Sendable (Int32) -> Void) {
        while true {
            var fds = [pollfd(fd: listenFD, events: Int16(POLLIN), revents: 0), pollfd(fd: stopFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, 1000)
            if ready < 0 && errno != EINTR { return }
            if fds[1].revents != 0 { return }
            guard fds[0].revents != 0 else { continue }
            let connection = accept(listenFD, nil, nil)
            guard connection >= 0 else { continue }
            #if canImport(Darwin)
            var yes: Int32 = 1
            setsockopt(connection, SOL_SOCKET, SO_NOSIGPIPE, &yes, socklen_t(MemoryLayout<Int32>.size))
            #endif
            let admitted = state.withLock { state in
                guard !state.stopped else { return false }
                state.connections.insert(connection)
                state.accepted += 1
                return true
            }
            guard admitted else {
                close(connection)
                return
            }
            threads.enter()
            Thread { [self] in
                handler(connection)
                state.withLock { _ = $0.connections.remove(connection) }
                close(connection)
                threads.leave()
            }.start()
        }
    }
}

/// A socket listening on 127.0.0.1 with a port the kernel chose, and that port.
public func listeningLoopbackSocket(backlog: Int32) throws -> (fd: Int32, port: Int) {
    let fd = socket(AF_INET, socketStream, 0)
    guard fd >= 0 else { throw ServerError("socket", errno) }
    var yes: Int32 = 1
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0, listen(fd, backlog) == 0 else {
        let code = errno
        close(fd)
        throw ServerError("bind/listen", code)
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return (fd, Int(UInt16(bigEndian: address.sin_port)))
}

#if canImport(Glibc)
public let socketStream = Int32(SOCK_STREAM.rawValue)
#else
public let socketStream = SOCK_STREAM
#endif
