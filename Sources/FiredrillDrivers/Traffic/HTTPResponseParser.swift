/// Reads HTTP/1.x responses off a connection's byte stream as they arrive, keeping only what the load loop
/// needs: the status, whether the connection may carry another request, and where the response ends. Bodies are
/// counted, never stored, but consumed to the exact byte (`Content-Length`, chunked with extensions and trailers,
/// no body for HEAD, 1xx, 204 and 304, or up to the connection's close), so the next response starts in the right
/// place. Interim 1xx responses (other than 101) are skipped. Anything that breaks the framing is a failure that
/// says what was wrong; the connection cannot be trusted after it.
///
/// Input may be split anywhere: a line cut between two reads is kept until its end arrives. `reset()` readies the
/// parser for the next response on the same connection.
struct HTTPResponseParser {
    enum Step: Equatable {
        /// Every byte given was consumed and the response is not complete yet.
        case needMore
        /// The response ended after the first `consumed` bytes of this input.
        case complete(status: Int, keepAlive: Bool, consumed: Int)
        /// The response cannot be read; the text says why.
        case failed(String)
    }

    /// Response head (and trailers) larger than this is refused, as libcurl refuses one above 100 KiB.
    static let maxHeadBytes = 100 << 10
    /// A chunk-size line longer than this (extensions included) is refused.
    static let maxChunkLineBytes = 4096

    private enum State: Equatable {
        case statusLine, headers, fixedBody(Int), chunkSize, chunkData(Int), chunkEnd, trailers, untilClose, done
    }

    /// A HEAD response has no body whatever its headers say.
    let isHead: Bool
    private var state = State.statusLine
    /// The start of a line whose end has not arrived yet.
    private var line: [UInt8] = []
    private var headBytes = 0
    private var status = 0
    private var minorVersion = 1
    private var contentLength: Int?
    private var transferEncoded = false
    private var chunked = false
    private var closeToken = false
    private var keepAliveToken = false
    /// Bytes of this response seen so far: zero means the server sent nothing at all.
    private(set) var received = 0

    init(isHead: Bool) {
        self.isHead = isHead
    }

    /// Forgets the response just read, for the next one on the same connection.
    mutating func reset() {
        state = .statusLine
        line.removeAll(keepingCapacity: true)
        received = 0
        resetHead()
    }

    private mutating func resetHead() {
        headBytes = 0
        status = 0
        minorVersion = 1
        contentLength = nil
        transferEncoded = false
        chunked = false
        closeToken = false
        keepAliveToken = false
    }

    /// Feeds the next bytes read from the connection.
    mutating func parse(_ input: UnsafeRawBufferPointer) -> Step {
        guard state != .done else { return .failed("data after the end of the response") }
        let count = input.count
        var index = 0
        while index < count {
            switch state {
            case .fixedBody(let remaining), .chunkData(let remaining):
                let take = min(remaining, count - index)
                index += take
                received += take
                if take < remaining {
                    state = state == .fixedBody(remaining) ? .fixedBody(remaining - take) : .chunkData(remaining - take)
                } else if case .fixedBody = state {
                    return finish(consumed: index)
                } else {
                    state = .chunkEnd
                }
            case .untilClose:
                received += count - index
                index = count
            case .done:
                return .failed("data after the end of the response")
            case .statusLine, .headers, .chunkSize, .chunkEnd, .trailers:
                guard let newline = Self.find(0x0A, in: input, from: index) else {
                    received += count - index
                    line.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<count]))
                    if let problem = tooLong(adding: count - index) { return .failed(problem) }
                    index = count
                    continue
                }
                received += newline + 1 - index
                if let problem = tooLong(adding: newline + 1 - index) { return .failed(problem) }
                let step: Step?
                if line.isEmpty {
                    step = handleLine(UnsafeRawBufferPointer(rebasing: input[index..<newline]))
                } else {
                    var whole = line
                    whole.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<newline]))
                    line.removeAll(keepingCapacity: true)
                    step = whole.withUnsafeBytes { handleLine($0) }
                }
                index = newline + 1
                switch step {
                case nil: continue
                case .complete(let status, let keepAlive, _): return .complete(status: status, keepAlive: keepAlive, consumed: index)
                case let other?: return other
                }
            }
        }
        return .needMore
    }

    /// The connection was closed by the server: the response ends here if its body runs to the close, and is cut
    /// short otherwise.
    mutating func end() -> Step {
        switch state {
        case .untilClose:
            state = .done
            return .complete(status: status, keepAlive: false, consumed: 0)
        case .statusLine where received == 0:
            return .failed("Empty reply from server")
        case .fixedBody(let remaining):
            return .failed("transfer closed with \(remaining) bytes remaining to read")
        case .chunkSize, .chunkData, .chunkEnd, .trailers:
            return .failed("transfer closed with outstanding read data remaining")
        case .statusLine, .headers:
            return .failed("connection closed in the middle of the response headers")
        case .done:
            return .failed("data after the end of the response")
        }
    }

    // MARK: - Lines

    private mutating func tooLong(adding bytes: Int) -> String? {
        switch state {
        case .statusLine, .headers, .trailers:
            headBytes += bytes
            return headBytes > Self.maxHeadBytes ? "malformed response: headers larger than \(Self.maxHeadBytes >> 10) KiB" : nil
        default:
            return line.count + bytes > Self.maxChunkLineBytes ? "malformed response: chunk-size line longer than \(Self.maxChunkLineBytes) bytes" : nil
        }
    }

    /// One line without its LF (a CR before it is dropped here); `nil` to read on.
    private mutating func handleLine(_ raw: UnsafeRawBufferPointer) -> Step? {
        let text = raw.last == 0x0D ? UnsafeRawBufferPointer(rebasing: raw.dropLast()) : raw
        switch state {
        case .statusLine: return statusLine(text)
        case .headers: return text.isEmpty ? endOfHead() : headerLine(text)
        case .chunkSize: return chunkSizeLine(text)
        case .chunkEnd:
            guard text.isEmpty else { return .failed("malformed response: no line break after chunk data") }
            state = .chunkSize
            return nil
        case .trailers:
            return text.isEmpty ? finish(consumed: 0) : nil
        default:
            return nil
        }
    }

    /// `HTTP/1.x NNN[ reason]`.
    private mutating func statusLine(_ text: UnsafeRawBufferPointer) -> Step? {
        let prefix: [UInt8] = Array("HTTP/1.".utf8)
        guard text.count >= 12, text.prefix(7).elementsEqual(prefix), text[7] == 0x30 || text[7] == 0x31, text[8] == 0x20,
              text[9...11].allSatisfy({ (0x30...0x39).contains($0) }), text.count == 12 || text[12] == 0x20 else {
            return .failed("malformed response: status line \"\(Self.excerpt(text))\" is not HTTP/1.x NNN")
        }
        minorVersion = Int(text[7] - 0x30)
        status = Int(text[9] - 0x30) * 100 + Int(text[10] - 0x30) * 10 + Int(text[11] - 0x30)
        guard status >= 100 else { return .failed("malformed response: status \(status) is out of range") }
        state = .headers
        return nil
    }

    private mutating func headerLine(_ text: UnsafeRawBufferPointer) -> Step? {
        // A folded continuation line (obsolete) only ever extends a header this parser ignores or already read.
        if text[0] == 0x20 || text[0] == 0x09 { return nil }
        guard let colon = text.firstIndex(of: 0x3A), colon > 0,
              !text[..<colon].contains(where: { $0 == 0x20 || $0 == 0x09 }) else {
            return .failed("malformed response: header line \"\(Self.excerpt(text))\" has no name")
        }
        let name = UnsafeRawBufferPointer(rebasing: text[..<colon])
        let value = Self.trimmed(UnsafeRawBufferPointer(rebasing: text[(colon + 1)...]))
        if Self.equalsLowercased(name, "content-length") {
            guard !value.isEmpty, value.count <= 18, value.allSatisfy({ (0x30...0x39).contains($0) }) else {
                return .failed("malformed response: Content-Length \"\(Self.excerpt(value))\" is not a number")
            }
            let length = value.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            if let contentLength, contentLength != length {
                return .failed("malformed response: two different Content-Length values")
            }
            contentLength = length
        } else if Self.equalsLowercased(name, "transfer-encoding") {
            transferEncoded = true
            let last = value.split(separator: 0x2C).last.map { Self.trimmed(UnsafeRawBufferPointer(rebasing: $0)) }
            chunked = last.map { Self.equalsLowercased($0, "chunked") } ?? false
        } else if Self.equalsLowercased(name, "connection") {
            for token in value.split(separator: 0x2C) {
                let trimmed = Self.trimmed(UnsafeRawBufferPointer(rebasing: token))
                if Self.equalsLowercased(trimmed, "close") { closeToken = true }
                if Self.equalsLowercased(trimmed, "keep-alive") { keepAliveToken = true }
            }
        }
        return nil
    }

    /// The blank line after the headers: where the body ends follows from the request, the status and the headers.
    private mutating func endOfHead() -> Step? {
        if status < 200 && status != 101 {
            // Interim response (100 Continue, 103 Early Hints): the real one follows.
            resetHead()
            state = .statusLine
            return nil
        }
        if isHead || status == 101 || status == 204 || status == 304 { return finish(consumed: 0) }
        if transferEncoded {
            state = chunked ? .chunkSize : .untilClose
            return nil
        }
        guard let contentLength else {
            state = .untilClose
            return nil
        }
        if contentLength == 0 { return finish(consumed: 0) }
        state = .fixedBody(contentLength)
        return nil
    }

    /// `hex-size[;extensions]`.
    private mutating func chunkSizeLine(_ text: UnsafeRawBufferPointer) -> Step? {
        var size = 0
        var digits = 0
        var index = 0
        while index < text.count, let digit = Self.hexValue(text[index]) {
            size = size << 4 | digit
            digits += 1
            index += 1
        }
        while index < text.count, text[index] == 0x20 || text[index] == 0x09 { index += 1 }
        guard digits > 0, digits <= 15, index == text.count || text[index] == 0x3B else {
            return .failed("malformed response: bad chunk size \"\(Self.excerpt(text))\"")
        }
        state = size == 0 ? .trailers : .chunkData(size)
        return nil
    }

    private mutating func finish(consumed: Int) -> Step {
        let keepAlive = status != 101 && state != .untilClose && !closeToken && (minorVersion == 1 || keepAliveToken)
        state = .done
        return .complete(status: status, keepAlive: keepAlive, consumed: consumed)
    }

    // MARK: - Bytes

    private static func find(_ byte: UInt8, in input: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        while index < input.count {
            if input[index] == byte { return index }
            index += 1
        }
        return nil
    }

    private static func trimmed(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: bytes[start..<end])
    }

    /// Whether `bytes`, lowercased, are `lowercase` (ASCII).
    private static func equalsLowercased(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = lowercase.utf8Start
        for index in 0..<bytes.count {
            let byte = bytes[index]
            let folded = (0x41...0x5A).contains(byte) ? byte | 0x20 : byte
            if folded != expected[index] { return false }
        }
        return true
    }

    private static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// The start of a bad line, printable, for an error message.
    private static func excerpt(_ bytes: UnsafeRawBufferPointer) -> String {
        let shown = bytes.prefix(40).map { (0x20...0x7E).contains($0) ? Character(Unicode.Scalar($0)) : "?" }
        return String(shown) + (bytes.count > 40 ? "…" : "")
    }
}
