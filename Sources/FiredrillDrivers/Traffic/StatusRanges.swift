import Foundation

/// The response statuses that count as success, from `success-status: [200-399, 404]`.
struct StatusRanges: Sendable, Equatable {
    var ranges: [ClosedRange<Int>]

    static let standard = StatusRanges(ranges: [200...399])

    /// Parses entries such as `200`, `"200-299"` or `2xx`; nil with the offending entry on a bad one.
    static func parse(_ entries: [String]) -> Result<StatusRanges, TrafficError> {
        var ranges: [ClosedRange<Int>] = []
        for entry in entries {
            let text = entry.trimmingCharacters(in: .whitespaces).lowercased()
            let parts = text.split(separator: "-", omittingEmptySubsequences: false)
            if parts.count == 1, text.count == 3, text.hasSuffix("xx"), let hundreds = Int(text.prefix(1)), (1...5).contains(hundreds) {
                ranges.append(hundreds * 100...hundreds * 100 + 99)
            } else if parts.count == 1, let code = Int(text), (100...599).contains(code) {
                ranges.append(code...code)
            } else if parts.count == 2, let low = Int(parts[0]), let high = Int(parts[1]), (100...599).contains(low),
                      (100...599).contains(high), low <= high {
                ranges.append(low...high)
            } else {
                return .failure(TrafficError("`success-status`: `\(entry)` is not a status (200), a range (200-399) or a class (2xx)"))
            }
        }
        return ranges.isEmpty ? .failure(TrafficError("`success-status` is empty")) : .success(StatusRanges(ranges: ranges))
    }

    func contains(_ status: Int) -> Bool {
        ranges.contains { $0.contains(status) }
    }
}
