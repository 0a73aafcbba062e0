import COpenSSL
#if canImport(Glibc)
import Glibc
#endif

/// A TLS client session over an already connected TCP socket, and the only type that touches OpenSSL.
///
/// The socket is switched to non-blocking: the handshake as a whole, and every read and write, wait in `poll`
/// for at most `timeoutMs`, so a server that never answers (or a plain-text port) cannot hang the caller.
/// The socket itself stays the caller's to close.
final class TLSStream {
    /// Why a TLS call failed, in words with OpenSSL's reason.
    struct Failure: Error, Sendable, CustomStringConvertible {
        enum Kind: Sendable { case setup, handshake, timeout, closed, io }
        let kind: Kind
        let description: String
    }

    private let context: OpaquePointer
    private let session: OpaquePointer
    private let fd: Int32
    private let display: String
    private let timeoutMs: Int32
    private var closed = false

    /// Sets up the context (CA bundle or the system store, client certificate), sends SNI for a host name, checks
    /// the certificate names `config.serverName ?? host` (a host name or an IP address), and completes the
    /// handshake within `timeoutMs`.
    init(fd: Int32, host: String, display: String, config: TLSConfig, timeoutMs: Int32) throws(Failure) {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw Failure(kind: .setup, description: "TLS setup failed: \(Self.queuedReason() ?? "SSL_CTX_new")")
        }
        var ok = false
        defer { if !ok { SSL_CTX_free(context) } }
        _ = fd_ssl_ctx_set_min_tls12(context)
        if config.insecureSkipVerify {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
            if let ca = config.caFile {
                guard SSL_CTX_load_verify_locations(context, ca, nil) == 1 else {
                    throw Failure(kind: .setup, description: "cannot load the CA bundle `\(ca)`: \(Self.queuedReason() ?? "unreadable")")
                }
            } else if SSL_CTX_set_default_verify_paths(context) != 1 {
                throw Failure(kind: .setup, description: "cannot load the system CA store: \(Self.queuedReason() ?? "unknown reason")")
            }
        }
        // Called only when the server asks for a certificate and none is configured: remembered, so that a
        // server that then drops the connection is explained (TLS 1.3 rejects the client after the handshake).
        SSL_CTX_set_client_cert_cb(context) { session, _, _ in
            _ = SSL_set_ex_data(session, 0, UnsafeMutableRawPointer(bitPattern: 1))
            return 0
        }
        if let cert = config.certFile {
            guard SSL_CTX_use_certificate_chain_file(context, cert) == 1 else {
                throw Failure(kind: .setup, description: "cannot load the client certificate `\(cert)`: \(Self.queuedReason() ?? "unreadable")")
            }
            let key = config.keyFile ?? cert
            guard SSL_CTX_use_PrivateKey_file(context, key, SSL_FILETYPE_PEM) == 1 else {
                let reason = Self.queuedReason() ?? "unreadable"
                if reason.contains("key values mismatch") {
                    throw Failure(kind: .setup, description: "the client key `\(key)` does not match the certificate `\(cert)`")
                }
                throw Failure(kind: .setup, description: "cannot load the client key `\(key)`: \(Self.queuedReason() ?? "unreadable")")
            }
            guard SSL_CTX_check_private_key(context) == 1 else {
                throw Failure(kind: .setup, description: "the client key `\(key)` does not match the certificate `\(cert)`")
            }
        }
        guard let session = SSL_new(context) else {
            throw Failure(kind: .setup, description: "TLS setup failed: \(Self.queuedReason() ?? "SSL_new")")
        }
        defer { if !ok { SSL_free(session) } }
        _ = SSL_set_fd(session, fd)
        let name = config.serverName ?? host
        let isAddress = Self.isIPAddress(name)
        // SNI carries host names only (RFC 6066); an address is checked against the certificate's IP entries.
        if !isAddress { _ = fd_ssl_set_sni(session, name) }
        if !config.insecureSkipVerify {
            let named = isAddress ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(session), name) : SSL_set1_host(session, name)
            guard named == 1 else { throw Failure(kind: .setup, description: "cannot check the certificate against `\(name)`") }
        }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)

        self.context = context
        self.session = session
        self.fd = fd
        self.display = display
        self.timeoutMs = timeoutMs
        ok = true

        let deadline = ProxySocket.now() + UInt64(timeoutMs) * 1_000_000
        while true {
            ERR_clear_error()
            let rc = Self.withoutSIGPIPE { SSL_connect(session) }
            if rc == 1 { break }
            let error = SSL_get_error(session, rc)
            if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
                if wait(forWriting: error == SSL_ERROR_WANT_WRITE, until: deadline) { continue }
                closed = true
                throw Failure(kind: .timeout, description: "TLS handshake with \(display) timed out after \(timeoutMs) ms (is the server speaking TLS on this port?)")
            }
            closed = true
            var reason = failureReason(error, rc)
            if reason == "closed" { reason = "the server closed the connection (is it a TLS port?)" }
            let verify = SSL_get_verify_result(session)
            if verify != X509_V_OK, let text = X509_verify_cert_error_string(verify) {
                reason += " (\(String(cString: text)))"
            }
            throw Failure(kind: .handshake, description: "TLS handshake with \(display) failed: \(reason)\(hint(reason))")
        }
    }

    deinit {
        shutdown()
        SSL_free(session)
        SSL_CTX_free(context)
    }

    /// Sends the close notice once (without waiting for the server's); call it before the socket is closed.
    func shutdown() {
        guard !closed else { return }
        closed = true
        _ = Self.withoutSIGPIPE { SSL_shutdown(session) }
        ERR_clear_error()
    }

    /// The protocol and cipher agreed, e.g. `TLSv1.3 TLS_AES_256_GCM_SHA384`.
    var negotiated: String {
        let version = SSL_get_version(session).map { String(cString: $0) } ?? "?"
        let cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(session)).map { String(cString: $0) } ?? "?"
        return "\(version) \(cipher)"
    }

    /// Reads what is available (at least one byte) into the start of `buffer`, waiting at most `timeoutMs`; 0 when
    /// the server closed.
    func read(into buffer: inout [UInt8]) throws(Failure) -> Int {
        let deadline = ProxySocket.now() + UInt64(timeoutMs) * 1_000_000
        while true {
            ERR_clear_error()
            let n = Self.withoutSIGPIPE { buffer.withUnsafeMutableBytes { SSL_read(session, $0.baseAddress, Int32(clamping: $0.count)) } }
            if n > 0 { return Int(n) }
            let error = SSL_get_error(session, n)
            switch error {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                if wait(forWriting: error == SSL_ERROR_WANT_WRITE, until: deadline) { continue }
                throw Failure(kind: .timeout, description: "\(display) did not answer in time")
            case SSL_ERROR_ZERO_RETURN:
                closed = true
                return 0
            default:
                let reason = failureReason(error, n)
                if reason == "closed" || reason.contains("unexpected eof") {
                    closed = true
                    return 0
                }
                closed = true
                throw Failure(kind: .io, description: "\(display): TLS read failed: \(reason)\(hint(reason))")
            }
        }
    }

    /// Writes every byte, waiting at most `timeoutMs` for the socket to take them.
    func write(_ bytes: [UInt8]) throws(Failure) {
        guard bytes.count > 0 else { return }
        let deadline = ProxySocket.now() + UInt64(timeoutMs) * 1_000_000
        while true {
            ERR_clear_error()
            // Without partial writes, a retry after WANT_WRITE repeats the same call until all is taken.
            let n = Self.withoutSIGPIPE { bytes.withUnsafeBytes { SSL_write(session, $0.baseAddress, Int32(clamping: $0.count)) } }
            if n > 0 { return }
            let error = SSL_get_error(session, n)
            if error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE {
                if wait(forWriting: error == SSL_ERROR_WANT_WRITE, until: deadline) { continue }
                throw Failure(kind: .timeout, description: "\(display) did not take the request in time")
            }
            closed = true
            let reason = failureReason(error, n)
            throw Failure(kind: .io, description: "\(display): TLS write failed: \(reason)\(hint(reason))")
        }
    }

    /// Waits for the socket until `deadline`; false when the time is up.
    private func wait(forWriting: Bool, until deadline: UInt64) -> Bool {
        while true {
            let now = ProxySocket.now()
            guard now < deadline else { return false }
            let ms = Int32(min((deadline - now + 999_999) / 1_000_000, 60_000))
            var p = pollfd(fd: fd, events: Int16(forWriting ? POLLOUT : POLLIN), revents: 0)
            let rc = poll(&p, 1, ms)
            if rc > 0 { return true }
            if rc < 0, errno != EINTR { return true }  // let OpenSSL report the socket's error
        }
    }

    /// OpenSSL's reason for a failed call, or the socket's.
    private func failureReason(_ error: Int32, _ rc: Int32) -> String {
        let saved = errno
        if let queued = Self.queuedReason() { return queued }
        if error == SSL_ERROR_SYSCALL {
            return saved == 0 || rc == 0 ? "closed" : String(cString: strerror(saved))
        }
        if error == SSL_ERROR_ZERO_RETURN { return "closed" }
        return "OpenSSL error \(error)"
    }

    /// What a reason usually means for the plan's author.
    private func hint(_ reason: String) -> String {
        if reason.contains("certificate required") || reason.contains("peer did not return a certificate") {
            return " (the server requires a client certificate: give `tls: { cert, key }`)"
        }
        if SSL_get_ex_data(session, 0) != nil {
            return " (the server asked for a client certificate and none was given: if it requires one, give `tls: { cert, key }`)"
        }
        return ""
    }

    /// The reason of the most recent error OpenSSL queued on this thread, clearing the queue.
    private static func queuedReason() -> String? {
        var last: UInt = 0
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            last = code
        }
        guard last != 0 else { return nil }
        if let text = ERR_reason_error_string(last) { return String(cString: text) }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(last, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func isIPAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }

    /// Runs `body` with SIGPIPE blocked on this thread, and discards one it raised: a write to a server that went
    /// away is an error here, never a signal.
    private static func withoutSIGPIPE<T>(_ body: () -> T) -> T {
        var pipe = sigset_t()
        sigemptyset(&pipe)
        sigaddset(&pipe, SIGPIPE)
        var old = sigset_t()
        pthread_sigmask(SIG_BLOCK, &pipe, &old)
        let result = body()
        var pending = sigset_t()
        sigpending(&pending)
        if sigismember(&pending, SIGPIPE) == 1, sigismember(&old, SIGPIPE) == 0 {
            var zero = timespec()
            _ = sigtimedwait(&pipe, nil, &zero)
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
        return result
    }
}
