import CCurl
import Foundation

/// One reusable libcurl easy handle, driven through a private multi handle so that a transfer
/// blocked in `poll` can be woken from another thread.
///
/// This file and `CurlLoadLoop.swift` (which drives many of these handles on one shared multi handle for
/// the traffic probe) are the only ones that touch libcurl types.
///
/// Reuse: between requests the handle is `curl_easy_reset`, which keeps the multi handle's
/// connection cache and DNS cache, so sequential requests to one host reuse the connection.
///
/// Confinement, and why `@unchecked Sendable` is sound: a `CurlEasy` is created, used and
/// destroyed by exactly one worker thread of `HTTPWorkerPool`; `perform` is only ever called
/// there. The one member called from other threads is `wakeUp()`, which only calls
/// `curl_multi_wakeup` (documented by libcurl as callable from any thread), and it is reachable
/// only through `HTTPTransferControl`, which detaches the handle before `perform` returns,
/// so the handle outlives every wake-up.
final class CurlEasy: @unchecked Sendable {
    /// `curl_global_init` exactly once per process; Swift runs a static initializer once, thread-safely.
    static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))

    /// The easy handle; `CurlLoadLoop` adds it to its own multi handle after `prepareForLoad`.
    let easy: UnsafeMutableRawPointer
    private let multi: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    /// The header list of a `prepareForLoad` configuration, which must live as long as the handle uses it.
    private var loadHeaders: UnsafeMutablePointer<curl_slist>?

    /// `nil` when libcurl cannot be initialised or allocate a handle.
    init?() {
        guard Self.globalInit == CURLE_OK, let easy = curl_easy_init() else { return nil }
        guard let multi = curl_multi_init() else {
            curl_easy_cleanup(easy)
            return nil
        }
        self.easy = easy
        self.multi = multi
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        curl_multi_cleanup(multi)
        curl_easy_cleanup(easy)
        curl_slist_free_all(loadHeaders)
        errorBuffer.deallocate()
    }

    /// Configures the handle for `request` with the body thrown away and no header or progress callbacks: the
    /// cheapest transfer that still yields a status, for `CurlLoadLoop`. The configuration stays until the next
    /// `prepareForLoad` or `perform`, so the same request can be sent again and again.
    func prepareForLoad(_ request: HTTPRequest) -> HTTPError? {
        curl_easy_reset(easy)
        errorBuffer[0] = 0
        curl_slist_free_all(loadHeaders)
        loadHeaders = nil
        return configure(request, context: nil, headerList: &loadHeaders)
    }

    /// The outcome of the last transfer, given the result code libcurl reported for it: the status, or the error.
    func loadOutcome(_ code: CURLcode, request: HTTPRequest) -> Result<Int, HTTPError> {
        code == CURLE_OK ? .success(infoLong(CURLINFO_RESPONSE_CODE)) : .failure(error(for: code, request: request))
    }

    /// Interrupts a `perform` that is waiting for the network. Callable from any thread.
    func wakeUp() {
        _ = curl_multi_wakeup(multi)
    }

    /// Runs one transfer to completion, failure, or cancellation through `control`. Blocks the
    /// calling thread.
    func perform(_ request: HTTPRequest, control: HTTPTransferControl) -> Result<HTTPResponse, HTTPError> {
        let context = TransferContext(maxBodyBytes: request.maxBodyBytes, control: control)
        curl_easy_reset(easy)
        errorBuffer[0] = 0
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }

        let opaqueContext = Unmanaged.passUnretained(context).toOpaque()
        if let failure = configure(request, context: opaqueContext, headerList: &headerList) {
            return .failure(failure)
        }
        let outcome = withExtendedLifetime(context) { drive(control) }

        switch outcome {
        case .cancelled:
            return .failure(HTTPError(.cancelled, request: request, detail: "the task was cancelled"))
        case .multiFailure(let code):
            return .failure(HTTPError(.other, request: request, detail: String(cString: curl_multi_strerror(code))))
        case .finished(let code):
            if code == CURLE_ABORTED_BY_CALLBACK && control.isCancelled {
                return .failure(HTTPError(.cancelled, request: request, detail: "the task was cancelled"))
            }
            if code == CURLE_OK || (code == CURLE_WRITE_ERROR && context.bodyTruncated) {
                return .success(response(context: context))
            }
            return .failure(error(for: code, request: request))
        }
    }

    // MARK: - Configuration

    /// Applies every option for `request`; returns the error when libcurl refuses one. Without a `context`, the
    /// body is discarded and neither headers nor progress are reported.
    private func configure(
        _ request: HTTPRequest,
        context: UnsafeMutableRawPointer?,
        headerList: inout UnsafeMutablePointer<curl_slist>?
    ) -> HTTPError? {
        var firstFailure = CURLE_OK
        func check(_ code: CURLcode) {
            if firstFailure == CURLE_OK && code != CURLE_OK { firstFailure = code }
        }
        func setLong(_ option: CURLoption, _ value: Int) { check(fd_curl_setopt_long(easy, option, value)) }
        func setString(_ option: CURLoption, _ value: String) {
            check(value.withCString { fd_curl_setopt_string(easy, option, $0) })
        }

        check(fd_curl_setopt_pointer(easy, CURLOPT_ERRORBUFFER, errorBuffer))
        setString(CURLOPT_URL, request.url)
        setString(CURLOPT_PROTOCOLS_STR, "http,https")
        setString(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        setLong(CURLOPT_NOSIGNAL, 1)
        setString(CURLOPT_USERAGENT, "firedrill")
        setLong(CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        if let connectTimeout = request.connectTimeout {
            setLong(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout))
        }
        setLong(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
        if request.followRedirects { setLong(CURLOPT_MAXREDIRS, request.maxRedirects) }

        setLong(CURLOPT_SSL_VERIFYPEER, request.tls.verifyPeer ? 1 : 0)
        setLong(CURLOPT_SSL_VERIFYHOST, request.tls.verifyHost ? 2 : 0)
        if let caFile = request.tls.caFile { setString(CURLOPT_CAINFO, caFile) }
        if let clientCert = request.tls.clientCert { setString(CURLOPT_SSLCERT, clientCert) }
        if let clientKey = request.tls.clientKey { setString(CURLOPT_SSLKEY, clientKey) }

        configureMethod(request, check: check)

        for header in request.headers {
            // "Name;" is curl's spelling for a header with an empty value.
            let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            guard let appended = curl_slist_append(headerList, line) else {
                return HTTPError(.other, request: request, detail: "out of memory building headers")
            }
            headerList = appended
        }
        if request.body != nil, !request.headers.contains(where: { $0.hasName("Expect") }) {
            // No "Expect: 100-continue" round trip before large bodies.
            guard let appended = curl_slist_append(headerList, "Expect:") else {
                return HTTPError(.other, request: request, detail: "out of memory building headers")
            }
            headerList = appended
        }
        if let headerList { check(fd_curl_setopt_slist(easy, CURLOPT_HTTPHEADER, headerList)) }

        guard let context else {
            check(fd_curl_setopt_write(easy, CURLOPT_WRITEFUNCTION) { _, size, count, _ in size * count })
            guard firstFailure == CURLE_OK else { return error(for: firstFailure, request: request) }
            return nil
        }
        check(fd_curl_setopt_write(easy, CURLOPT_WRITEFUNCTION) { data, size, count, userData in
            let context = Unmanaged<TransferContext>.fromOpaque(userData!).takeUnretainedValue()
            let length = size * count
            guard let data else { return length }
            return context.appendBody(UnsafeRawBufferPointer(start: data, count: length)) ? length : 0
        })
        check(fd_curl_setopt_pointer(easy, CURLOPT_WRITEDATA, context))
        check(fd_curl_setopt_write(easy, CURLOPT_HEADERFUNCTION) { data, size, count, userData in
            let context = Unmanaged<TransferContext>.fromOpaque(userData!).takeUnretainedValue()
            let length = size * count
            if let data { context.appendHeaderLine(UnsafeRawBufferPointer(start: data, count: length)) }
            return length
        })
        check(fd_curl_setopt_pointer(easy, CURLOPT_HEADERDATA, context))
        check(fd_curl_setopt_xferinfo(easy) { userData, _, _, _, _ in
            let context = Unmanaged<TransferContext>.fromOpaque(userData!).takeUnretainedValue()
            return context.control.isCancelled ? 1 : 0
        })
        check(fd_curl_setopt_pointer(easy, CURLOPT_XFERINFODATA, context))
        setLong(CURLOPT_NOPROGRESS, 0)

        guard firstFailure == CURLE_OK else { return error(for: firstFailure, request: request) }
        return nil
    }

    private func configureMethod(_ request: HTTPRequest, check: (CURLcode) -> Void) {
        switch (request.method, request.body) {
        case (.get, nil):
            check(fd_curl_setopt_long(easy, CURLOPT_HTTPGET, 1))
        case (.head, _):
            check(fd_curl_setopt_long(easy, CURLOPT_NOBODY, 1))
        case (let method, let body):
            if body != nil || method == .post {
                let bytes = body ?? Data()
                check(fd_curl_setopt_off_t(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count)))
                // COPYPOSTFIELDS copies now, so the Data need not outlive this call.
                check(bytes.withUnsafeBytes { raw in
                    let pointer = raw.baseAddress ?? UnsafeRawPointer(("" as StaticString).utf8Start)
                    return fd_curl_setopt_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: pointer))
                })
            }
            if method != .post {
                check(method.rawValue.withCString { fd_curl_setopt_string(easy, CURLOPT_CUSTOMREQUEST, $0) })
            }
        }
    }

    /// Whole milliseconds, rounded up, at least 1 (curl reads 0 as "no limit").
    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        let millis = min(seconds, 315_360_000) * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(1, min(millis, Int64(Int32.max))))
    }

    // MARK: - Driving the transfer

    private enum Outcome {
        case finished(CURLcode)
        case cancelled
        case multiFailure(CURLMcode)
    }

    private func drive(_ control: HTTPTransferControl) -> Outcome {
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else { return .multiFailure(added) }
        defer { curl_multi_remove_handle(multi, easy) }

        while true {
            var running: Int32 = 0
            let performed = curl_multi_perform(multi, &running)
            guard performed == CURLM_OK else { return .multiFailure(performed) }
            var queued: Int32 = 0
            while let message = curl_multi_info_read(multi, &queued) {
                if message.pointee.msg == CURLMSG_DONE { return .finished(message.pointee.data.result) }
            }
            // curl queues DONE in the call that ends the transfer, so this is not expected.
            if running == 0 { return .multiFailure(CURLM_INTERNAL_ERROR) }
            if control.isCancelled { return .cancelled }
            // Wakes on network activity, curl's own timers (timeouts), or `wakeUp()`.
            let polled = curl_multi_poll(multi, nil, 0, 1000, nil)
            guard polled == CURLM_OK else { return .multiFailure(polled) }
            if control.isCancelled { return .cancelled }
        }
    }

    // MARK: - Results

    private func response(context: TransferContext) -> HTTPResponse {
        HTTPResponse(
            status: infoLong(CURLINFO_RESPONSE_CODE),
            headers: context.headers,
            body: context.body,
            bodyTruncated: context.bodyTruncated,
            timings: HTTPTimings(
                dns: infoMicroseconds(CURLINFO_NAMELOOKUP_TIME_T),
                connect: infoMicroseconds(CURLINFO_CONNECT_TIME_T),
                tls: max(infoMicroseconds(CURLINFO_APPCONNECT_TIME_T), infoMicroseconds(CURLINFO_CONNECT_TIME_T)),
                firstByte: infoMicroseconds(CURLINFO_STARTTRANSFER_TIME_T),
                total: infoMicroseconds(CURLINFO_TOTAL_TIME_T)
            ),
            effectiveURL: infoString(CURLINFO_EFFECTIVE_URL) ?? "",
            httpVersion: Self.version(infoLong(CURLINFO_HTTP_VERSION))
        )
    }

    private static func version(_ code: Int) -> HTTPVersion {
        switch code {
        case CURL_HTTP_VERSION_1_0: .http1_0
        case CURL_HTTP_VERSION_1_1: .http1_1
        case CURL_HTTP_VERSION_2_0: .http2
        case CURL_HTTP_VERSION_3: .http3
        default: .unknown
        }
    }

    private func error(for code: CURLcode, request: HTTPRequest) -> HTTPError {
        let buffered = String(cString: errorBuffer)
        let detail = buffered.isEmpty ? String(cString: curl_easy_strerror(code)) : buffered
        return HTTPError(kind(for: code), request: request, detail: detail)
    }

    private func kind(for code: CURLcode) -> HTTPError.Kind {
        switch code {
        case CURLE_COULDNT_CONNECT:
            infoLong(CURLINFO_OS_ERRNO) == Int(ECONNREFUSED) ? .connectionRefused : .other
        case CURLE_OPERATION_TIMEDOUT:
            .timeout
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            .dnsFailure
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
             CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED, CURLE_SSL_CLIENTCERT:
            .tlsFailure
        case CURLE_TOO_MANY_REDIRECTS:
            .tooManyRedirects
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            .invalidRequest
        default:
            .other
        }
    }

    private func infoLong(_ info: CURLINFO) -> Int {
        var value = 0
        return fd_curl_getinfo_long(easy, info, &value) == CURLE_OK ? value : 0
    }

    private func infoMicroseconds(_ info: CURLINFO) -> Duration {
        var value: curl_off_t = 0
        return fd_curl_getinfo_off_t(easy, info, &value) == CURLE_OK ? .microseconds(value) : .zero
    }

    private func infoString(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        guard fd_curl_getinfo_string(easy, info, &value) == CURLE_OK, let value else { return nil }
        return String(cString: value)
    }
}

/// What the libcurl callbacks of one transfer write into. Used only on the worker thread that
/// runs the transfer; reached from C through an unretained pointer kept alive by `perform`.
private final class TransferContext {
    let maxBodyBytes: Int
    let control: HTTPTransferControl
    private(set) var body = Data()
    private(set) var bodyTruncated = false
    private(set) var headers: [HTTPHeader] = []

    init(maxBodyBytes: Int, control: HTTPTransferControl) {
        self.maxBodyBytes = maxBodyBytes
        self.control = control
    }

    /// Keeps bytes up to the limit; `false` (stop the transfer) once the body is longer.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let room = maxBodyBytes - body.count
        guard let start = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return true }
        if bytes.count <= room {
            body.append(start, count: bytes.count)
            return true
        }
        if room > 0 { body.append(start, count: room) }
        bodyTruncated = true
        return false
    }

    /// Receives one raw header line at a time, status lines and the blank line included.
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        let line = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[..<end]), as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            // A new response (redirect hop, 100 Continue): only the final one's headers count.
            headers.removeAll(keepingCapacity: true)
        } else if line.isEmpty {
            return
        } else if line.first == " " || line.first == "\t", !headers.isEmpty {
            let continuation = line.trimmingCharacters(in: .whitespaces)
            headers[headers.count - 1].value += headers[headers.count - 1].value.isEmpty ? continuation : " " + continuation
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append(HTTPHeader(name, value))
        }
    }
}
