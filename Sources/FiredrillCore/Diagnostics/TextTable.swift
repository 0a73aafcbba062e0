/// A plain left-aligned text table for terminal output; the first row is the header.
public enum TextTable {
    public static func render(_ rows: [[String]]) -> String {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        // Each cell's width counted once; padding is appended spaces (no Foundation bridging: `history` pads
        // ten thousand rows).
        let counts = rows.map { $0.map(\.count) }
        for row in counts {
            for (i, count) in row.enumerated() { widths[i] = max(widths[i], count) }
        }
        var out = ""
        for (r, row) in rows.enumerated() {
            if r > 0 { out += "\n" }
            for (i, cell) in row.enumerated() {
                if i > 0 { out += "  " }
                out += cell
                if i < row.count - 1, widths[i] > counts[r][i] { out += String(repeating: " ", count: widths[i] - counts[r][i]) }
            }
        }
        return out
    }
}

import Foundation
