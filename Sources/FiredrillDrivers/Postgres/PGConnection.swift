import CLibPQ
import FiredrillCore
import Foundation

/// One PostgreSQL connection through libpq; the only place libpq's C types appear.
///
/// - The connection string is given to libpq as is (`key=value …` or a `postgresql://` URI), so service files,
///   `.pgpass`, `PG*` environment variables, `sslmode` and SCRAM work as they do for `psql`.
/// - Connecting is non-blocking (`PQconnectStartParams` + `PQconnectPoll` + `poll(2)`): bounded by `timeout`
///   and stopped by task cancellation. Host-name resolution, which libpq does synchronously, is not bounded;
///   use an IP address (or `hostaddr`) where that matters.
/// - Queries use the extended protocol with text parameters (`PQsendQueryParams`), one statement per call, and
///   wait with `poll(2)`. Cancelling the task sends a cancel request (`PQcancel`) and waits up to two seconds
///   for the server to stop the statement; the call then throws `CancellationError` and the connection stays
///   usable. If the server does not answer, the connection is closed.
/// - All of this blocks a thread, so the actor runs on its own `BlockingIOExecutor`, never on the
///   cooperative pool.
///
/// Errors are `PGError`s; no message ever contains the password (see `redacted(_:)`).
public actor PGConnection {
    private let executor = BlockingIOExecutor(label: "firedrill.postgres")
    private nonisolated let wakeup: PGWakeup
    private let handle = Handle()
    /// `host:port` for messages, never the password.
    public nonisolated let target: String
    private let password: String?

    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    /// How long to wait for the server to honour a cancel request before giving up on the connection.
    static let cancelGrace: Duration = .seconds(2)

    private init(target: String, password: String?) throws(PGError) {
        self.target = target
        self.password = password
        self.wakeup = try PGWakeup()
    }

    // MARK: - Connecting

    /// Opens a connection, waiting at most `timeout`. With `statementTimeout`, every statement on this
    /// connection is limited by the server (`statement_timeout`), which fails it with SQLSTATE 57014.
    public static func connect(_ conninfo: String, timeout: Duration = .seconds(10),
                               statementTimeout: Duration? = nil) async throws -> PGConnection {
        let parsed = try parse(conninfo)
        let connection = try PGConnection(target: parsed.target, password: parsed.password)
        try await connection.open(conninfo, timeout: timeout)
        if let statementTimeout { try await connection.setStatementTimeout(statementTimeout) }
        return connection
    }

    /// Whether a server answers at `conninfo` within `timeout`, in `PQping`'s sense (see `PGPingResult`).
    /// Throws only `CancellationError`.
    public static func ping(_ conninfo: String, timeout: Duration = .seconds(5)) async throws -> PGPingResult {
        do {
            let connection = try await connect(conninfo, timeout: timeout)
            await connection.close()
            return .accepting
        } catch let error as PGError {
            switch error.kind {
            case .invalidConninfo: return .noAttempt(error)
            case .connectTimedOut: return .noResponse(error)
            default:
                guard let sqlstate = error.sqlstate else { return .noResponse(error) }
                return sqlstate == "57P03" ? .rejecting(error) : .accepting
            }
        }
    }

    /// `conninfo` with its password (in a `password=` keyword, a URI's user info or its query) masked as
    /// `***`, for showing to people.
    public static func redacted(_ conninfo: String) -> String {
        PGConninfo.redacted(conninfo)
    }

    private func open(_ conninfo: String, timeout: Duration) async throws {
        try await withTaskCancellationHandler {
            try connectBlocking(conninfo, timeout: timeout)
        } onCancel: { [wakeup] in
            wakeup.signal()
        }
    }

    private func connectBlocking(_ conninfo: String, timeout: Duration) throws {
        try Task.checkCancellation()
        wakeup.drain()
        let operation = "connect to \(target)"
        let keywords = ["dbname", "fallback_application_name"]
        let values = [conninfo, "firedrill"]
        let conn = withCStrings(keywords) { k in withCStrings(values) { v in PQconnectStartParams(k, v, 1) } }
        guard let conn else { throw PGError(kind: .connectFailed, operation: operation, message: "out of memory") }
        var keep = false
        defer { if !keep { PQfinish(conn) } }
        PQsetErrorVerbosity(conn, PQERRORS_VERBOSE)
        // Without a receiver, libpq prints every NOTICE, WARNING and asynchronous FATAL to stderr, into the
        // middle of the console; they are kept on the handle instead and returned with the next result.
        _ = PQsetNoticeReceiver(conn, receiveNotice, Unmanaged.passUnretained(handle).toOpaque())
        guard PQstatus(conn) != CONNECTION_BAD else { throw connectError(conn, operation: operation) }

        let deadline = ContinuousClock.now.advanced(by: timeout)
        var status = PGRES_POLLING_WRITING
        while status != PGRES_POLLING_OK {
            switch status {
            case PGRES_POLLING_FAILED:
                throw connectError(conn, operation: operation)
            case PGRES_POLLING_READING, PGRES_POLLING_WRITING:
                switch waitForSocket(PQsocket(conn), write: status == PGRES_POLLING_WRITING, until: deadline) {
                case .ready:
                    break
                case .timedOut:
                    throw PGError(kind: .connectTimedOut, operation: operation, message: "timed out after \(Self.seconds(timeout))")
                case .cancelled:
                    throw CancellationError()
                }
            default:
                break
            }
            status = PQconnectPoll(conn)
        }
        guard PQsetnonblocking(conn, 1) == 0 else { throw connectError(conn, operation: operation) }
        keep = true
        handle.conn = conn
    }

    // MARK: - Queries

    /// Runs one statement with text parameters (`$1`, `$2`…; `nil` is NULL) and returns all its rows as text.
    public func query(_ sql: String, _ parameters: [String?] = []) async throws -> PGQueryResult {
        try await withTaskCancellationHandler {
            try queryBlocking(sql, parameters)
        } onCancel: { [wakeup] in
            wakeup.signal()
        }
    }

    /// The first column of the first row (`nil` for SQL NULL); throws `noValue` when there is no row.
    public func scalar(_ sql: String, _ parameters: [String?] = []) async throws -> String? {
        try await typedScalar(sql, parameters).text
    }

    /// The first column of the first row with its type (see `PGScalar`), and the notices the server sent while
    /// it ran; throws `noValue` when there is no row.
    public func typedScalar(_ sql: String, _ parameters: [String?] = []) async throws -> PGScalar {
        let result = try await query(sql, parameters)
        guard let row = result.rows.first, let value = row.first else {
            throw PGError(kind: .noValue, operation: "query on \(target)", message: "the query returned no value")
        }
        return PGScalar(text: value, typeOID: result.columnTypes.first ?? 0, notices: result.notices)
    }

    /// The notices, warnings and asynchronous errors the server sent since they were last taken, oldest first
    /// (at most `Handle.noticeLimit`): `NOTICE: relation "t" already exists, skipping`.
    public func takeNotices() -> [String] {
        handle.takeNotices()
    }

    /// Sets `statement_timeout` for the rest of the session (`nil` or zero: no limit).
    public func setStatementTimeout(_ timeout: Duration?) async throws {
        let milliseconds = timeout.map { max(1, Int(($0 / .milliseconds(1)).rounded(.up))) } ?? 0
        _ = try await query("SELECT set_config('statement_timeout', $1, false)", ["\(milliseconds)ms"])
    }

    /// The server's process id for this session (`pg_backend_pid()`); 0 when closed.
    public var backendPID: Int32 {
        handle.conn.map { PQbackendPID($0) } ?? 0
    }

    /// The server version as an integer (`150020` for 15.20); 0 when closed.
    public var serverVersion: Int {
        handle.conn.map { Int(PQserverVersion($0)) } ?? 0
    }

    /// A run-time parameter the server reports (`server_version`, `in_hot_standby`, `TimeZone`…).
    public func parameterStatus(_ name: String) -> String? {
        guard let conn = handle.conn, let value = PQparameterStatus(conn, name) else { return nil }
        return String(cString: value)
    }

    public var isOpen: Bool {
        guard let conn = handle.conn else { return false }
        return PQstatus(conn) == CONNECTION_OK
    }

    /// Closes the connection; later calls throw `closed`. Closing twice is harmless.
    public func close() {
        if let conn = handle.conn { PQfinish(conn) }
        handle.conn = nil
    }

    private func queryBlocking(_ sql: String, _ parameters: [String?]) throws -> PGQueryResult {
        let operation = "query on \(target)"
        guard let conn = handle.conn else {
            throw PGError(kind: .closed, operation: operation, message: "the connection is closed")
        }
        try Task.checkCancellation()
        wakeup.drain()

        let sent = withOptionalCStrings(parameters) { values in
            PQsendQueryParams(conn, sql, Int32(parameters.count), nil, values, nil, nil, 0)
        }
        guard sent == 1 else { throw lost(conn, operation: operation) }
        var flushed = PQflush(conn)
        while flushed == 1 {
            if case .cancelled = waitForSocket(PQsocket(conn), write: true, until: nil) {
                // Nothing reached the server yet that can be cancelled: give the connection up.
                close()
                throw CancellationError()
            }
            flushed = PQflush(conn)
        }
        guard flushed == 0 else { throw lost(conn, operation: operation) }

        var cancelDeadline: ContinuousClock.Instant?
        var outcome: PGQueryResult?
        var failure: PGError?
        while true {
            guard PQconsumeInput(conn) == 1 else { throw lost(conn, operation: operation) }
            while PQisBusy(conn) == 0 {
                guard let result = PQgetResult(conn) else {
                    if cancelDeadline != nil { throw CancellationError() }
                    if let failure { throw failure }
                    var finished = outcome ?? PGQueryResult(columns: [], rows: [], commandTag: "", affectedRows: nil)
                    finished.notices = handle.takeNotices()
                    return finished
                }
                defer { PQclear(result) }
                switch PQresultStatus(result) {
                case PGRES_TUPLES_OK, PGRES_SINGLE_TUPLE, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
                    outcome = Self.rows(of: result)
                case PGRES_COPY_IN:
                    _ = PQputCopyEnd(conn, "COPY FROM STDIN is not supported by firedrill")
                    failure = failure ?? PGError(kind: .unsupported, operation: operation, message: "COPY is not supported")
                case PGRES_COPY_OUT:
                    Self.discardCopyOut(conn)
                    failure = failure ?? PGError(kind: .unsupported, operation: operation, message: "COPY is not supported")
                case PGRES_COPY_BOTH:
                    close()
                    throw PGError(kind: .unsupported, operation: operation, message: "replication commands are not supported")
                default:
                    failure = failure ?? Self.resultError(result, operation: operation)
                }
            }
            if PQstatus(conn) == CONNECTION_BAD { throw lost(conn, operation: operation) }
            switch waitForSocket(PQsocket(conn), write: false, until: cancelDeadline, cancellable: cancelDeadline == nil) {
            case .ready:
                continue
            case .cancelled:
                if cancelDeadline == nil {
                    Self.requestCancel(conn)
                    cancelDeadline = ContinuousClock.now.advanced(by: Self.cancelGrace)
                }
            case .timedOut:
                close()
                throw CancellationError()
            }
        }
    }

    // MARK: - libpq plumbing

    /// Owns the `PGconn`; finishing it when the actor goes away. Also keeps the notices libpq hands to
    /// `receiveNotice`, which it calls on the actor's thread from inside a libpq call.
    fileprivate final class Handle {
        var conn: OpaquePointer?
        private var notices: [String] = []
        static let noticeLimit = 50

        func record(_ notice: String) {
            if notices.count >= Self.noticeLimit { notices.removeFirst() }
            notices.append(notice)
        }

        func takeNotices() -> [String] {
            defer { notices.removeAll() }
            return notices
        }

        deinit { if let conn { PQfinish(conn) } }
    }

    private enum WaitResult { case ready, timedOut, cancelled }

    /// Waits until `socket` is readable (or writable), `deadline` passes, or (when `cancellable`) the task is
    /// cancelled.
    private func waitForSocket(_ socket: Int32, write: Bool, until deadline: ContinuousClock.Instant?,
                               cancellable: Bool = true) -> WaitResult {
        guard socket >= 0 else { return .ready }
        while true {
            if cancellable, Task.isCancelled { return .cancelled }
            var timeoutMS: Int32 = -1
            if let deadline {
                let remaining = ContinuousClock.now.duration(to: deadline)
                if remaining <= .zero { return .timedOut }
                timeoutMS = Int32(min(60_000, max(1, (remaining / .milliseconds(1)).rounded(.up))))
            }
            var fds = [
                pollfd(fd: socket, events: Int16(write ? POLLOUT : POLLIN), revents: 0),
                pollfd(fd: wakeup.readFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, timeoutMS)
            if ready < 0 {
                if errno == EINTR { continue }
                return .ready  // Let libpq run into the error and report it.
            }
            if fds[1].revents != 0 {
                wakeup.drain()
                if cancellable, Task.isCancelled { return .cancelled }
            }
            if fds[0].revents != 0 { return .ready }
        }
    }

    private static func requestCancel(_ conn: OpaquePointer) {
        guard let cancel = PQgetCancel(conn) else { return }
        defer { PQfreeCancel(cancel) }
        var buffer = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &buffer, Int32(buffer.count))
    }

    private static func discardCopyOut(_ conn: OpaquePointer) {
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(conn, &buffer, 0) > 0 {
            PQfreemem(buffer)
            buffer = nil
        }
    }

    private static func rows(of result: OpaquePointer) -> PGQueryResult {
        let columnCount = Int(PQnfields(result))
        let rowCount = Int(PQntuples(result))
        let columns = (0..<columnCount).map { String(cString: PQfname(result, Int32($0))) }
        let types = (0..<columnCount).map { UInt32(PQftype(result, Int32($0))) }
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            rows.append((0..<columnCount).map { c in
                PQgetisnull(result, Int32(r), Int32(c)) == 1 ? nil : String(cString: PQgetvalue(result, Int32(r), Int32(c)))
            })
        }
        let tag = String(cString: PQcmdStatus(result))
        let affected = Int(String(cString: PQcmdTuples(result)))
        return PGQueryResult(columns: columns, rows: rows, commandTag: tag, affectedRows: affected, columnTypes: types)
    }

    private static func resultError(_ result: OpaquePointer, operation: String) -> PGError {
        func field(_ code: Character) -> String? {
            guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
            return String(cString: value)
        }
        let message = field("M") ?? oneLine(String(cString: PQresultErrorMessage(result)))
        return PGError(kind: .queryFailed, operation: operation, message: message.isEmpty ? "unknown error" : message,
                       sqlstate: field("C"), severity: field("V") ?? field("S"), detail: field("D"), hint: field("H"))
    }

    /// The connection broke (or libpq refused the call): the error, and the connection closed if it is dead.
    private func lost(_ conn: OpaquePointer, operation: String) -> PGError {
        let parsed = Self.parseMessage(String(cString: PQerrorMessage(conn)))
        let dead = PQstatus(conn) == CONNECTION_BAD
        if dead { close() }
        return PGError(kind: dead ? .connectionLost : .queryFailed, operation: operation, message: scrub(parsed.message),
                       sqlstate: parsed.sqlstate, severity: parsed.severity)
    }

    private func connectError(_ conn: OpaquePointer, operation: String) -> PGError {
        let parsed = Self.parseMessage(String(cString: PQerrorMessage(conn)))
        return PGError(kind: .connectFailed, operation: operation, message: scrub(parsed.message),
                       sqlstate: parsed.sqlstate, severity: parsed.severity)
    }

    /// Removes the password from a message, should libpq ever echo it.
    private func scrub(_ message: String) -> String {
        guard let password, password.count >= 3 else { return message }
        return message.replacingOccurrences(of: password, with: "***")
    }

    /// Splits libpq's connection error text. With verbose errors a server error reads
    /// `connection to server at "h", port 5432 failed: FATAL:  28P01: password authentication failed…`
    /// followed by `LOCATION:` lines; a client-side failure is free text over several lines.
    static func parseMessage(_ text: String) -> (message: String, sqlstate: String?, severity: String?) {
        var attempts: [String] = []
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("LOCATION:") { continue }
            if let range = trimmed.range(of: #"^connection to server (at "[^"]*"(, port \d+)?|on socket "[^"]*") failed: "#,
                                         options: .regularExpression) {
                attempts.append(String(trimmed[range.upperBound...]))
            } else if attempts.isEmpty {
                attempts.append(trimmed)
            } else {
                attempts[attempts.count - 1] += " " + trimmed
            }
        }
        let last = attempts.last ?? "unknown error"
        if let match = last.firstMatch(of: /^(ERROR|FATAL|PANIC):\s+([0-9A-Z]{5}):\s+(.*)$/) {
            return (String(match.3), String(match.2), String(match.1))
        }
        var unique: [String] = []
        for attempt in attempts where !unique.contains(attempt) { unique.append(attempt) }
        return (unique.joined(separator: "; "), nil, nil)
    }

    private static func oneLine(_ text: String) -> String {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    }

    /// Where a connection string points (`host:port`, from libpq's own parser) and its password, if any.
    static func parse(_ conninfo: String) throws(PGError) -> (target: String, password: String?) {
        var error: UnsafeMutablePointer<CChar>?
        guard let options = PQconninfoParse(conninfo, &error) else {
            let message = error.map { String(cString: $0) } ?? "invalid connection string"
            PQfreemem(error)
            throw PGError(kind: .invalidConninfo, operation: "connect to \(PGConninfo.redacted(conninfo))",
                          message: oneLine(message))
        }
        defer { PQconninfoFree(options) }
        var values: [String: String] = [:]
        var option = options
        while let keyword = option.pointee.keyword {
            if let value = option.pointee.val { values[String(cString: keyword)] = String(cString: value) }
            option += 1
        }
        let environment = ProcessInfo.processInfo.environment
        let host = values["host"].flatMap { $0.isEmpty ? nil : $0 } ?? values["hostaddr"] ?? environment["PGHOST"] ?? "localhost"
        let port = values["port"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGPORT"] ?? "5432"
        return ("\(host):\(port)", values["password"])
    }

    private static func seconds(_ duration: Duration) -> String {
        let milliseconds = Int((duration / .milliseconds(1)).rounded())
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(Double(milliseconds) / 1000) s"
    }

    private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    private func withOptionalCStrings<R>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
        if strings.isEmpty { return body(nil) }
        let copies = strings.map { $0.map { strdup($0) } ?? nil }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) }
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

/// libpq's notice receiver for every `PGConnection`: `arg` is the connection's `Handle`. The notice becomes one
/// line, `SEVERITY: message`, kept on the handle rather than printed.
private func receiveNotice(_ arg: UnsafeMutableRawPointer?, _ result: OpaquePointer?) {
    guard let arg, let result else { return }
    func field(_ code: Character) -> String? {
        guard let value = PQresultErrorField(result, Int32(code.asciiValue!)) else { return nil }
        return String(cString: value)
    }
    let severity = field("S") ?? "NOTICE"
    let message = field("M") ?? String(cString: PQresultErrorMessage(result))
    let line = message.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
    Unmanaged<PGConnection.Handle>.fromOpaque(arg).takeUnretainedValue().record("\(severity): \(line)")
}
