import Testing

@testable import FiredrillDrivers

/// The built-in client's response parser on byte sequences: framing, keep-alive rules, splits and malformed input.
@Suite("HTTP response parser")
struct HTTPResponseParserTests {
    typealias Step = HTTPResponseParser.Step

    /// Feeds `pieces` in turn; the steps that were not `.needMore`, and the last step.
    private func feed(_ pieces: [[UInt8]], head: Bool = false) -> Step {
        var parser = HTTPResponseParser(isHead: head)
        var last = Step.needMore
        for piece in pieces {
            last = piece.withUnsafeBytes { parser.parse($0) }
            if last != .needMore { return last }
        }
        return last
    }

    private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    private static let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;name=value\r\nhello\r\n1A; ext\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n"

    @Test func contentLengthEndsTheResponse() {
        let text = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"
        #expect(feed([bytes(text)]) == .complete(status: 200, keepAlive: true, consumed: text.utf8.count))
    }

    @Test func headerNamesAndTokensAreCaseInsensitive() {
        let text = "HTTP/1.1 503 Busy\r\ncontent-LENGTH:  2 \r\nCONNECTION: Close\r\n\r\nno"
        #expect(feed([bytes(text)]) == .complete(status: 503, keepAlive: false, consumed: text.utf8.count))
    }

    @Test func chunkedBodiesWithExtensionsAndTrailers() {
        #expect(feed([bytes(Self.chunked)]) == .complete(status: 200, keepAlive: true, consumed: Self.chunked.utf8.count))
    }

    @Test func everySplitPointGivesTheSameResult() {
        for text in [Self.chunked, "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: keep-alive\r\n\r\nnot found"] {
            let all = bytes(text)
            for cut in 1..<all.count {
                #expect(feed([Array(all[..<cut]), Array(all[cut...])]) == .complete(status: text.contains("404") ? 404 : 200, keepAlive: true,
                                                                                   consumed: all.count - cut),
                        "split at \(cut)")
            }
            // One byte at a time.
            #expect(feed(all.map { [$0] }) == .complete(status: text.contains("404") ? 404 : 200, keepAlive: true, consumed: 1))
        }
    }

    @Test func twoResponsesInOneBuffer() {
        let first = "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
        let second = "HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n"
        let all = bytes(first + second)
        var parser = HTTPResponseParser(isHead: false)
        let one = all.withUnsafeBytes { parser.parse($0) }
        #expect(one == .complete(status: 200, keepAlive: true, consumed: first.utf8.count))
        parser.reset()
        let two = all[first.utf8.count...].withUnsafeBytes { parser.parse($0) }
        #expect(two == .complete(status: 201, keepAlive: true, consumed: second.utf8.count))
    }

    @Test func responsesWithoutABody() {
        let head = "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
        #expect(feed([bytes(head)], head: true) == .complete(status: 200, keepAlive: true, consumed: head.utf8.count))
        for status in ["204 No Content", "304 Not Modified"] {
            let text = "HTTP/1.1 \(status)\r\nContent-Length: 10\r\n\r\n"
            #expect(feed([bytes(text)]) == .complete(status: Int(status.prefix(3))!, keepAlive: true, consumed: text.utf8.count))
        }
    }

    @Test func interimResponsesAreSkipped() {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        #expect(feed([bytes(text)]) == .complete(status: 200, keepAlive: true, consumed: text.utf8.count))
    }

    @Test func http10ClosesUnlessKeptAlive() {
        let closing = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"
        #expect(feed([bytes(closing)]) == .complete(status: 200, keepAlive: false, consumed: closing.utf8.count))
        let kept = "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 2\r\n\r\nok"
        #expect(feed([bytes(kept)]) == .complete(status: 200, keepAlive: true, consumed: kept.utf8.count))
    }

    @Test func aBodyWithoutLengthRunsToTheClose() {
        var parser = HTTPResponseParser(isHead: false)
        let head = bytes("HTTP/1.0 200 OK\r\nServer: old\r\n\r\nsome body")
        #expect(head.withUnsafeBytes { parser.parse($0) } == .needMore)
        #expect(bytes(" and more").withUnsafeBytes { parser.parse($0) } == .needMore)
        #expect(parser.end() == .complete(status: 200, keepAlive: false, consumed: 0))
    }

    @Test func aCloseBeforeTheEndIsAFailure() {
        var empty = HTTPResponseParser(isHead: false)
        #expect(empty.end() == .failed("Empty reply from server"))
        var short = HTTPResponseParser(isHead: false)
        #expect(bytes("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").withUnsafeBytes { short.parse($0) } == .needMore)
        #expect(short.end() == .failed("transfer closed with 7 bytes remaining to read"))
        var chunk = HTTPResponseParser(isHead: false)
        #expect(bytes("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab").withUnsafeBytes { chunk.parse($0) } == .needMore)
        #expect(chunk.end() == .failed("transfer closed with outstanding read data remaining"))
    }

    @Test func malformedResponsesFailAndSayWhy() {
        let cases: [(String, String)] = [
            ("HTTP/2 200\r\n\r\n", "status line \"HTTP/2 200\" is not HTTP/1.x NNN"),
            ("SSH-2.0-OpenSSH_9.2\r\n", "status line \"SSH-2.0-OpenSSH_9.2\" is not HTTP/1.x NNN"),
            ("HTTP/1.1 2x0 OK\r\n", "is not HTTP/1.x NNN"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n", "Content-Length \"12a\" is not a number"),
            ("HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "two different Content-Length values"),
            ("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "header line \"no colon here\" has no name"),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk size \"zz\""),
            ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", "no line break after chunk data"),
        ]
        for (text, expected) in cases {
            guard case .failed(let detail) = feed([bytes(text)]) else {
                Issue.record("\(text.debugDescription) was not a failure")
                continue
            }
            #expect(detail.hasPrefix("malformed response: ") && detail.contains(expected), "\(detail)")
        }
    }

    @Test func oversizedHeadersFail() {
        let filler = "X-Filler: " + String(repeating: "a", count: 1000) + "\r\n"
        let text = "HTTP/1.1 200 OK\r\n" + String(repeating: filler, count: 120)
        #expect(feed([bytes(text)]) == .failed("malformed response: headers larger than 100 KiB"))
        // The same limit holds when the head arrives in small pieces.
        let all = bytes(text)
        #expect(feed(stride(from: 0, to: all.count, by: 700).map { Array(all[$0..<min($0 + 700, all.count)]) })
                == .failed("malformed response: headers larger than 100 KiB"))
    }
}
