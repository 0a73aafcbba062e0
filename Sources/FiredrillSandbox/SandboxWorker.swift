import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One sandbox worker: a small HTTP/1.1 server on 127.0.0.1 (routes in ``SandboxRoutes``).
///
/// The socket is bound with `SO_REUSEPORT`, so several worker processes share one port and
/// the kernel spreads connections over them; when one dies its share goes away, and with all
/// of them gone connections are refused. Each connection is served on its own thread, up to
/// ``SandboxWorkerConfig/maxConnections`` at once.
public final class SandboxWorker: Sendable {
    public let config: SandboxWorkerConfig
    /// The bound port (the configured one, or the one the kernel picked for port 0).
    public let port: UInt16

    private let listener: Int32
    private let routes: SandboxRoutes
    private let activeConnections = Mutex(0)
    private let stopped = Mutex(false)

    static let maximumBodySize = 1 << 20
    static let maximumRequestsPerConnection = 100_000
    static let connectionThreadStackSize = 256 * 1024

    /// Binds and listens; connections queue until ``start()``.
    public init(config: SandboxWorkerConfig) throws(SandboxError) {
        let address = "127.0.0.1:\(config.port)"
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Self.socketError("socket", address) }
        var enable: Int32 = 1
        let size = socklen_t(MemoryLayout<Int32>.size)
        guard setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &enable, size) == 0,
              setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &enable, size) == 0
        else {
            let error = Self.socketError("setsockopt on", address)
            close(fd)
            throw error
        }
        var socketAddress = sockaddr_in()
        socketAddress.sin_family = sa_family_t(AF_INET)
        socketAddress.sin_port = config.port.bigEndian
        socketAddress.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &socketAddress) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 1024) == 0 else {
            let error = Self.socketError("bind/listen on", address)
            close(fd)
            throw error
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.config = config
        self.listener = fd
        self.port = UInt16(bigEndian: actual.sin_port)
        self.routes = SandboxRoutes(workerIndex: config.index, pid: getpid())
    }

    /// Starts accepting connections on a background thread.
    public func start() {
        Self.ignoreBrokenPipes()
        let thread = Thread { [self] in acceptLoop() }
        thread.name = "sandbox-accept"
        thread.start()
    }

    /// Stops accepting and closes the listening socket. Open connections finish on their own.
    public func stop() {
        let wasStopped = stopped.withLock { stopped in
            defer { stopped = true }
            return stopped
        }
        guard !wasStopped else { return }
        // shutdown wakes a thread blocked in accept(2); close alone would not on Linux.
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Connections being served right now.
    public var connectionCount: Int { activeConnections.withLock { $0 } }

    /// Runs a worker until the task is cancelled: listens, logs `worker-listening` to the
    /// state directory's `sandbox.log`, prints the address, and serves.
    public static func run(config: SandboxWorkerConfig) async throws {
        let worker = try SandboxWorker(config: config)
        worker.start()
        let pid = getpid()
        if let directory = config.stateDirectory {
            try SandboxEventLog(path: SandboxConfig.logPath(in: directory)).append(
                "worker-listening", [("index", "\(config.index)"), ("pid", "\(pid)"), ("port", "\(worker.port)")])
        }
        FileHandle.standardOutput.write(
            Data("sandbox worker \(config.index) listening on http://127.0.0.1:\(worker.port) (pid \(pid))\n".utf8))
        if config.exitWhenOrphaned { startOrphanWatchdog() }
        do {
            while true { try await Task.sleep(for: .seconds(3600)) }
        } catch {
            worker.stop()
        }
    }

    // MARK: - Accepting

    private var isStopped: Bool { stopped.withLock { $0 } }

    private func acceptLoop() {
        while !isStopped {
            let fd = accept(listener, nil, nil)
            if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
            if fd < 0 {
                let code = errno
                if isStopped { return }
                switch code {
                case EINTR, ECONNABORTED, EPROTO: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM: usleep(10_000); continue
                default: return
                }
            }
            let admitted = activeConnections.withLock { count in
                guard count < config.maxConnections else { return false }
                count += 1
                return true
            }
            guard admitted else {
                let busy = SandboxResponse.text(503, "too many connections\n")
                _ = Self.sendAll(fd, busy.serialized(keepAlive: false, workerIndex: config.index))
                close(fd)
                continue
            }
            let thread = Thread { [self] in
                serve(fd)
                close(fd)
                activeConnections.withLock { $0 -= 1 }
            }
            thread.stackSize = Self.connectionThreadStackSize
            thread.start()
        }
    }

    // MARK: - Serving one connection

    private func serve(_ fd: Int32) {
        setTimeouts(fd)
        var buffer: [UInt8] = []
        for _ in 0..<Self.maximumRequestsPerConnection {
            var headEnd = HTTPRequestHead.endOfHead(in: buffer)
            while headEnd == nil {
                guard buffer.count <= HTTPRequestHead.maximumSize else {
                    return refuse(fd, 431, "request head too large\n")
                }
                guard receive(fd, into: &buffer) else { return }
                headEnd = HTTPRequestHead.endOfHead(in: buffer)
            }
            guard let end = headEnd else { return }
            let head: HTTPRequestHead
            let bodyLength: Int
            do {
                head = try HTTPRequestHead.parse(buffer[..<end])
                bodyLength = try head.contentLength() ?? 0
            } catch .unsupportedVersion(let version) {
                return refuse(fd, 505, "\(version) is not supported\n")
            } catch {
                return refuse(fd, 400, "malformed request\n")
            }
            if head.headers["transfer-encoding"] != nil {
                return refuse(fd, 501, "chunked request bodies are not supported\n")
            }
            guard bodyLength <= Self.maximumBodySize else { return refuse(fd, 413, "request body too large\n") }
            while buffer.count < end + bodyLength {
                guard receive(fd, into: &buffer) else { return }
            }
            buffer.removeFirst(end + bodyLength)

            let response = routes.respond(to: head)
            let keepAlive = head.keepAlive && !isStopped
            let bytes = response.serialized(
                keepAlive: keepAlive, workerIndex: config.index, includeBody: head.method != "HEAD")
            guard Self.sendAll(fd, bytes), keepAlive else { return }
        }
    }

    /// Reads what is available; false on end of stream, idle timeout or error.
    private func receive(_ fd: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer += chunk[0..<count]
                return true
            }
            if count < 0, errno == EINTR { continue }
            return false
        }
    }

    private func refuse(_ fd: Int32, _ status: Int, _ message: String) {
        _ = Self.sendAll(fd, SandboxResponse.text(status, message).serialized(keepAlive: false, workerIndex: config.index))
    }

    private func setTimeouts(_ fd: Int32) {
        let (seconds, attoseconds) = config.idleTimeout.components
        var timeout = timeval(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
        let size = socklen_t(MemoryLayout<timeval>.size)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, size)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, size)
    }

    static func sendAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes {
                send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                offset += sent
            } else if sent < 0, errno == EINTR {
                continue
            } else {
                return false
            }
        }
        return true
    }

    // MARK: - Process-wide setup

    private static func ignoreBrokenPipes() {
        _ = signal(SIGPIPE, SIG_IGN)
    }

    /// Exits when the parent changes (the supervisor died), so no worker outlives it.
    private static func startOrphanWatchdog() {
        let parent = getppid()
        let thread = Thread {
            while getppid() == parent { usleep(200_000) }
            exit(0)
        }
        thread.name = "sandbox-orphan-watchdog"
        thread.start()
    }

    private static func socketError(_ operation: String, _ address: String) -> SandboxError {
        SandboxError.socket(operation: operation, address: address, reason: String(cString: strerror(errno)))
    }
}
