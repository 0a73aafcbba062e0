import Foundation

/// The fields Firedrill reads from `/proc/<pid>/stat` (see proc(5)).
struct ProcStat: Sendable, Equatable {
    var pid: Int32
    /// Field 2, without the parentheses.
    var command: String
    /// Field 3: `R`, `S`, `D`, `T`, `t`, `Z`, `X`, …
    var state: Character
    var parentPID: Int32
    var processGroupID: Int32
    var sessionID: Int32
    /// Field 22: start time in clock ticks after boot.
    var startTicks: UInt64

    static let procRoot = "/proc"

    /// `nil` when the process does not exist (or vanished while being read).
    static func read(pid: Int32) -> ProcStat? {
        guard let text = try? String(contentsOfFile: "\(procRoot)/\(pid)/stat", encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Parses one stat line. The command may itself contain spaces and parentheses, so the
    /// fields after it are located from the last `)`.
    static func parse(_ line: String) -> ProcStat? {
        guard let open = line.firstIndex(of: "("), let close = line.lastIndex(of: ")"),
              let pid = Int32(line[..<open].trimmingCharacters(in: .whitespaces))
        else { return nil }
        let command = String(line[line.index(after: open)..<close])
        let fields = line[line.index(after: close)...].split(separator: " ", omittingEmptySubsequences: true)
        // fields[0] is field 3 of the line.
        guard fields.count >= 20, let state = fields[0].first,
              let parent = Int32(fields[1]), let group = Int32(fields[2]), let session = Int32(fields[3]),
              let start = UInt64(fields[19])
        else { return nil }
        return ProcStat(
            pid: pid, command: command, state: state, parentPID: parent,
            processGroupID: group, sessionID: session, startTicks: start)
    }

    /// Pids of every process currently listed under /proc.
    static func allPIDs() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: procRoot)) ?? []
        return names.compactMap { Int32($0) }
    }

    var isZombie: Bool { state == "Z" || state == "X" || state == "x" }

    static let clockTicksPerSecond: Double = {
        let ticks = sysconf(Int32(_SC_CLK_TCK))
        return ticks > 0 ? Double(ticks) : 100
    }()

    var startSecondsSinceBoot: Double { Double(startTicks) / Self.clockTicksPerSecond }
}
