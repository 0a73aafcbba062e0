/// Renders diagnostics the way compilers do: the headline, the offending source line, a caret, and a hint.
public struct DiagnosticRenderer: Sendable {
    private let lines: [Substring]

    /// - Parameter source: the text of the file the diagnostics point into.
    public init(source: String) {
        lines = source.split(separator: "\n", omittingEmptySubsequences: false)
    }

    public func render(_ diagnostic: Diagnostic) -> String {
        var out = diagnostic.headline
        let index = diagnostic.location.line - 1
        if index >= 0, index < lines.count {
            let text = String(lines[index]).replacingTabsVisibly().trimmingTrailingCR()
            out += "\n    \(text)\n    "
            let column = max(1, diagnostic.location.column)
            out += String(repeating: " ", count: column - 1)
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
