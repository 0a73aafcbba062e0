import FiredrillCore
import Foundation
import Synchronization

/// Reads a journal for a report without holding its events: the file is read once, then one pass checks the hash
/// chain (`JournalVerifier`) while another parses the same bytes line by line and hands each event to the
/// report builder, which keeps only aggregates and columns. A 50,000-event journal so costs its file size plus a
/// little, not a tree per event, and the two passes run side by side.
enum JournalStream {
    /// The journal's verification, and a builder that has consumed every intact event.
    static func fold(path: String) throws -> (RunReportBuilder, VerificationResult) {
        let bytes = try readAll(path: path)
        let verification = Mutex<VerificationResult?>(nil)
        let built = Mutex<(builder: RunReportBuilder, events: Int)?>(nil)
        DispatchQueue.concurrentPerform(iterations: 2) { pass in
            if pass == 0 {
                let result = JournalVerifier.verify(bytes: bytes)
                verification.withLock { $0 = result }
            } else {
                var builder = RunReportBuilder()
                let events = forEachEvent(in: bytes, limit: nil) { builder.consume($0) }
                built.withLock { $0 = (builder, events) }
            }
        }
        guard let result = verification.withLock({ $0 }), var (builder, consumed) = built.withLock({ $0 }) else {
            throw RunError("cannot read \(path)")
        }
        if consumed != result.eventCount {
            // Damaged journal: the report covers only the intact events before the first problem.
            builder = RunReportBuilder()
            consumed = forEachEvent(in: bytes, limit: result.eventCount) { builder.consume($0) }
        }
        return (builder, result)
    }

    /// Calls `body` with each event of complete, parseable lines, up to `limit`; returns how many.
    static func forEachEvent(in bytes: [UInt8], limit: Int?, _ body: (JournalEvent) -> Void) -> Int {
        bytes.withUnsafeBytes { buffer -> Int in
            guard let base = buffer.baseAddress else { return 0 }
            var start = 0
            var count = 0
            while start < buffer.count, count < (limit ?? .max) {
                guard let hit = memchr(base + start, 0x0A, buffer.count - start) else { break }
                let end = base.distance(to: UnsafeRawPointer(hit))
                guard let event = event(UnsafeRawBufferPointer(rebasing: buffer[start..<end])) else { break }
                body(event)
                count += 1
                start = end + 1
            }
            return count
        }
    }

    /// One line as an event, or nil when it is not one (the verification says what is wrong).
    static func event(_ line: UnsafeRawBufferPointer) -> JournalEvent? {
        guard let value = try? JSONValue.parse(utf8: line), case .object(let f) = value,
              let seq = f["seq"]?.intValue, let time = f["time"]?.stringValue, let mono = f["mono"]?.doubleValue,
              let type = f["type"]?.stringValue, let data = f["data"], let prev = f["prev"]?.stringValue else { return nil }
        return JournalEvent(seq: seq, time: time, mono: mono, type: type, step: f["step"]?.stringValue, data: data, prev: prev)
    }

    /// The whole file, read into one buffer of its size.
    static func readAll(path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw RunError("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw RunError("cannot read \(path): \(String(cString: strerror(errno)))") }
        var bytes = [UInt8](repeating: 0, count: Int(info.st_size) + 65_536)
        var total = 0
        while total < bytes.count {
            let n = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + total, $0.count - total, off_t(total)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw RunError("cannot read \(path): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            total += n
        }
        if total == bytes.count { throw RunError("\(path) grew while it was read; try again") }
        bytes.removeSubrange(total...)
        return bytes
    }
}
