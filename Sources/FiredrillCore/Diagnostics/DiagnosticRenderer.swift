/// Renders diagnostics the way compilers do: the headline, the offending source line, a caret, and a hint.
public struct DiagnosticRenderer: Sendable {
    private let lines: [Substring]
    /// The most columns of a source line shown under a headline.
    static let maxShownColumns = 160

    /// - Parameter source: the text of the file the diagnostics point into.
    public init(source: String) {
        lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = diagnostic.headline
        let index = diagnostic.location.line - 1
        if index >= 0, index < lines.count {
            var text = String(lines[index]).trimmingTrailingCR()
            var column = max(1, diagnostic.location.column)
            // A long line is shown as a window around the caret, so a hostile file cannot blow up the output.
            if text.count > Self.maxShownColumns {
                let chars = Array(text)
                let start = max(0, min(column - 1 - Self.maxShownColumns / 3, chars.count - Self.maxShownColumns))
                let end = min(chars.count, start + Self.maxShownColumns)
                text = (start > 0 ? "…" : "") + String(chars[start..<end]) + (end < chars.count ? "…" : "")
                column = column - start + (start > 0 ? 1 : 0)
            }
            text = text.replacingTabsVisibly()
            out += "\n    \(text)\n    "
            out += String(repeating: " ", count: max(0, column - 1))
            out += "^" + String(repeating: "~", count: max(0, min(diagnostic.length, text.count - column + 1) - 1))
        }
        if let hint = diagnostic.hint {
            out += "\n    hint: \(hint)"
        }
        return out
    }
}

extension String {
    /// Shows a tab as one `→` and other control characters as `␀`-style symbols, one column each, so the caret
    /// under them still lines up.
    fileprivate func replacingTabsVisibly() -> String {
        String(unicodeScalars.map { scalar -> Character in
            if scalar == "\t" { return "→" }
            if scalar.value < 0x20 { return Character(Unicode.Scalar(0x2400 + scalar.value)!) }
            return Character(scalar)
        })
    }

    fileprivate func trimmingTrailingCR() -> String {
        hasSuffix("\r") ? String(dropLast()) : self
    }
}
