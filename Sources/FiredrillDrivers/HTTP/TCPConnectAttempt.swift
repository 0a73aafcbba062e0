#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation
import Synchronization

/// One `TCPConnector.connect` call: resolves and connects on a dedicated thread and reports
/// exactly once, to whichever comes first of the thread's result, cancellation, or the deadline.
///
/// The thread waits in `poll` on the socket and on the read end of a pipe; `abandon` writes to
/// the pipe so the thread stops waiting and closes its socket at once. A name resolution stuck in
/// `getaddrinfo` cannot be interrupted; the caller is answered at the deadline regardless and the
/// thread finishes in the background.
final class TCPConnectAttempt: Sendable {
    typealias Outcome = Result<Duration, TCPError>

    let host: String
    let port: Int
    let timeout: Duration

    private struct State {
        var continuation: CheckedContinuation<Outcome, Never>?
        var abandoned: TCPError?
        /// Write end of the wake-up pipe; -1 once closed, so a late `abandon` never writes to a
        /// reused descriptor.
        var wakeWriteFD: Int32 = -1
    }

    private let state = Mutex(State())

    init(host: String, port: Int, timeout: Duration) {
        self.host = host
        self.port = port
        self.timeout = timeout
    }

    func start(_ continuation: CheckedContinuation<Outcome, Never>) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            continuation.resume(returning: .failure(error(.other, detail: "pipe: \(String(cString: strerror(errno)))")))
            return
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        let earlyEnd: TCPError? = state.withLock { state in
            if let abandoned = state.abandoned { return abandoned }
            state.continuation = continuation
            state.wakeWriteFD = fds[1]
            return nil
        }
        if let earlyEnd {
            close(fds[0])
            close(fds[1])
            continuation.resume(returning: .failure(earlyEnd))
            return
        }

        let readFD = fds[0]
        let thread = Thread { [self] in
            Thread.current.name = "firedrill-tcp"
            let outcome = run(wakeReadFD: readFD)
            finish(outcome)
            state.withLock { state in
                close(state.wakeWriteFD)
                state.wakeWriteFD = -1
            }
            close(readFD)
        }
        thread.stackSize = 256 << 10
        thread.start()

        // Backstop for a name resolution that outlives the deadline.
        let (seconds, attoseconds) = (timeout + .milliseconds(20)).components
        let backstop = DispatchTimeInterval.nanoseconds(Int(clamping: min(seconds, 315_360_000) * 1_000_000_000 + attoseconds / 1_000_000_000))
        DispatchQueue.global().asyncAfter(deadline: .now() + backstop) { [weak self] in
            self?.abandon(with: .timeout, detail: "no answer within \(self?.timeout ?? .zero)")
        }
    }

    /// Answers the caller now with `kind` and stops the connecting thread.
    func abandon(with kind: TCPError.Kind, detail: String) {
        let failure = error(kind, detail: detail)
        let continuation = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            if state.abandoned == nil { state.abandoned = failure }
            if state.wakeWriteFD >= 0 {
                var byte: UInt8 = 1
                _ = write(state.wakeWriteFD, &byte, 1)
            }
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: .failure(failure))
    }

    private func finish(_ outcome: Outcome) {
        let continuation = state.withLock { state -> CheckedContinuation<Outcome, Never>? in
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: outcome)
    }

    private func error(_ kind: TCPError.Kind, detail: String) -> TCPError {
        TCPError(kind, host: host, port: port, detail: detail)
    }

    // MARK: - On the connecting thread

    private enum Step {
        case connected
        case failed(TCPError.Kind, String)
    }

    private func run(wakeReadFD: Int32) -> Outcome {
        let clock = ContinuousClock()
        let start = clock.now
        let deadline = start + timeout

        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = streamSocketType
        hints.ai_flags = AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let resolved = getaddrinfo(host, String(port), &hints, &list)
        guard resolved == 0 else {
            let detail = resolved == EAI_SYSTEM ? String(cString: strerror(errno)) : String(cString: gai_strerror(resolved))
            return .failure(error(.dns, detail: detail))
        }
        defer { freeaddrinfo(list) }

        var lastFailure = error(.dns, detail: "no address found")
        var entry = list
        while let address = entry?.pointee {
            switch connectOnce(address, deadline: deadline, clock: clock, wakeReadFD: wakeReadFD) {
            case .connected:
                return .success(clock.now - start)
            case .failed(let kind, let detail):
                lastFailure = error(kind, detail: detail)
                if kind == .timeout || kind == .cancelled { return .failure(lastFailure) }
            }
            entry = address.ai_next
        }
        return .failure(lastFailure)
    }

    private func connectOnce(_ address: addrinfo, deadline: ContinuousClock.Instant, clock: ContinuousClock, wakeReadFD: Int32) -> Step {
        let fd = socket(address.ai_family, address.ai_socktype | cloexecSocketFlag, address.ai_protocol)
        guard fd >= 0 else { return Self.failure(errno) }
        defer { close(fd) }
        #if canImport(Darwin)
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        #endif
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)

        if systemConnect(fd, address.ai_addr, address.ai_addrlen) == 0 { return .connected }
        guard errno == EINPROGRESS || errno == EINTR else { return Self.failure(errno) }

        while true {
            let remaining = deadline - clock.now
            guard remaining > .zero else { return .failed(.timeout, "no answer within \(timeout)") }
            var fds = [
                pollfd(fd: fd, events: Int16(POLLOUT), revents: 0),
                pollfd(fd: wakeReadFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, Self.pollMilliseconds(remaining))
            if ready < 0 {
                if errno == EINTR { continue }
                return Self.failure(errno)
            }
            if fds[1].revents != 0 { return .failed(.cancelled, "") }
            if fds[0].revents != 0 {
                var socketError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &socketError, &length) == 0 else { return Self.failure(errno) }
                return socketError == 0 ? .connected : Self.failure(socketError)
            }
        }
    }

    private static func failure(_ code: Int32) -> Step {
        let detail = String(cString: strerror(code))
        switch code {
        case ECONNREFUSED: return .failed(.refused, detail)
        case ETIMEDOUT: return .failed(.timeout, detail)
        case EHOSTUNREACH, ENETUNREACH, ENETDOWN, EHOSTDOWN, EADDRNOTAVAIL: return .failed(.unreachable, detail)
        default: return .failed(.other, detail)
        }
    }

    /// Rounded up so `poll` never returns just before the deadline and spins.
    private static func pollMilliseconds(_ duration: Duration) -> Int32 {
        let (seconds, attoseconds) = duration.components
        let millis = min(seconds, 315_360_000) * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int32(clamping: max(1, millis))
    }
}

#if canImport(Glibc)
private let streamSocketType = Int32(SOCK_STREAM.rawValue)
private let cloexecSocketFlag = Int32(SOCK_CLOEXEC.rawValue)
private func systemConnect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
    Glibc.connect(fd, address, length)
}
#else
private let streamSocketType = SOCK_STREAM
private let cloexecSocketFlag: Int32 = 0
private func systemConnect(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>!, _ length: socklen_t) -> Int32 {
    Darwin.connect(fd, address, length)
}
#endif
