import Foundation
@testable import FiredrillCore

/// A fresh directory under the system temp dir, removed by `remove()`.
struct JournalTestDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-journal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var journalFile: URL { url.appendingPathComponent(Journal.fileName) }

    func remove() { try? FileManager.default.removeItem(at: url) }
}

enum JournalSamples {
    /// A clock that always reads the same instant, for byte-identical journals.
    static let frozenClock = JournalClock(wallMicroseconds: { 1_767_225_599_123_456 }, monotonicSeconds: { 42 })

    /// The data of sample event `i`: a probe result like the runner writes.
    static func data(_ i: Int) -> JSONValue {
        ["probe": "health", "status": 200, "latency": .number(Double(i) / 1000 + 0.0005), "ok": .bool(i % 7 != 0),
         "note": .string("event-\(i)")]
    }

    /// The lines (without newlines) of a valid journal of `count` events, built without touching the disk.
    static func lines(count: Int) -> [String] {
        var lines: [String] = []
        lines.reserveCapacity(count)
        var prev = Journal.genesisHash
        for i in 1...count {
            let event = JournalEvent(seq: i, time: JournalClock.rfc3339(microseconds: 1_767_225_599_000_000 + Int64(i) * 1_000),
                                     mono: Double(i) * 0.001, type: i == 1 ? "run.started" : "probe.result",
                                     step: i % 3 == 0 ? "kill-api" : nil, data: data(i), prev: prev)
            let line = event.canonicalLine()
            prev = event.lineHash()
            lines.append(line)
        }
        return lines
    }

    static func bytes(_ lines: [String]) -> [UInt8] {
        Array(lines.map { $0 + "\n" }.joined().utf8)
    }
}
