import Foundation

/// The request line and headers of one HTTP/1.x request.
struct HTTPRequestHead: Sendable, Equatable {
    var method: String
    /// The request target as sent: `/slow?ms=200`.
    var target: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: String
    /// Header names lowercased; a repeated header keeps its last value.
    var headers: [String: String]

    static let maximumSize = 16 * 1024

    var path: String { String(target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]) }

    var query: [String: String] {
        let pieces = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard pieces.count == 2 else { return [:] }
        var result: [String: String] = [:]
        for pair in pieces[1].split(separator: "&") {
            let keyValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            result[String(keyValue[0])] = keyValue.count == 2 ? String(keyValue[1]) : ""
        }
        return result
    }

    /// HTTP/1.1 keeps the connection unless told `close`; HTTP/1.0 only when asked `keep-alive`.
    var keepAlive: Bool {
        let tokens = (headers["connection"] ?? "").lowercased().split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if tokens.contains("close") { return false }
        if version == "HTTP/1.1" { return true }
        return tokens.contains("keep-alive")
    }

    /// `nil` when absent; throws on a malformed value.
    func contentLength() throws(HTTPParseError) -> Int? {
        guard let value = headers["content-length"] else { return nil }
        guard let length = Int(value.trimmingCharacters(in: .whitespaces)), length >= 0 else {
            throw HTTPParseError.badRequest("invalid Content-Length")
        }
        return length
    }

    /// Index just past the blank line ending the head in `bytes`, if it has arrived.
    static func endOfHead(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count
        where bytes[index] == 10 && bytes[index - 1] == 13 && bytes[index - 2] == 10 && bytes[index - 3] == 13 {
            return index + 1
        }
        return nil
    }

    /// Parses the head (`bytes` up to and including the blank line).
    static func parse(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPRequestHead {
        let text = String(decoding: bytes, as: UTF8.self)
        var lines = text.components(separatedBy: "\r\n")
        while lines.last == "" { lines.removeLast() }
        guard let requestLine = lines.first else { throw HTTPParseError.badRequest("empty request") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[1].hasPrefix("/") else {
            throw HTTPParseError.badRequest("malformed request line")
        }
        let version = String(parts[2])
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else {
            throw HTTPParseError.unsupportedVersion(version)
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon != line.startIndex else {
                throw HTTPParseError.badRequest("malformed header line")
            }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return HTTPRequestHead(method: String(parts[0]), target: String(parts[1]), version: version, headers: headers)
    }
}

/// A request the worker refuses before routing it.
enum HTTPParseError: Error, Sendable, Equatable {
    case badRequest(String)
    case unsupportedVersion(String)
    case headTooLarge
    case bodyTooLarge
}
