#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import FiredrillTestSupport

/// A listening socket on 127.0.0.1 that never accepts, with its accept queue filled by client
/// sockets, so a further connect to `port` gets no answer and hangs (the kernel drops its SYN).
/// Gives loopback-only connect timeouts. `close()` releases every socket.
final class FullBacklogListener {
    let port: Int
    /// Whether the filling succeeded: the last filler connect was left hanging.
    private(set) var isFull = false
    private let listenFD: Int32
    private var fillers: [Int32] = []

    init() throws {
        (listenFD, port) = try listeningLoopbackSocket(backlog: 0)

        // Bounded: a few connects fill a backlog of 0 on Linux and macOS.
        for _ in 0..<16 {
            let filler = socket(AF_INET, socketStream, 0)
            guard filler >= 0 else { break }
            fillers.append(filler)
            _ = fcntl(filler, F_SETFL, fcntl(filler, F_GETFL) | O_NONBLOCK)
            var target = Self.loopback(port: port)
            _ = withUnsafePointer(to: &target) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(filler, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            var pending = [pollfd(fd: filler, events: Int16(POLLOUT), revents: 0)]
            if poll(&pending, 1, 100) == 0 {
                isFull = true
                break
            }
        }
    }

    func close() {
        for filler in fillers { closeDescriptor(filler) }
        fillers.removeAll()
        closeDescriptor(listenFD)
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}

/// A port on 127.0.0.1 that nothing listens on: bound, then released.
func closedLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, socketStream, 0)
    guard fd >= 0 else { throw ServerError("socket", errno) }
    defer { closeDescriptor(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw ServerError("bind", errno) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
}

#if canImport(Glibc)
private func closeDescriptor(_ fd: Int32) { _ = Glibc.close(fd) }
#else
private func closeDescriptor(_ fd: Int32) { _ = Darwin.close(fd) }
#endif
