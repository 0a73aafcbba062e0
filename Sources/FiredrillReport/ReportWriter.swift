import FiredrillCore
import Foundation

/// Writes the report files of a run directory from its journal.
public enum ReportWriter {
    /// The formats `firedrill report --format` accepts.
    public enum Format: String, Sendable, CaseIterable {
        case json, md
        public var fileName: String { "report.\(rawValue)" }
    }

    /// Renders `formats` into the run directory; returns the paths written.
    @discardableResult
    public static func write(runDirectory: String, formats: [Format] = Format.allCases) throws -> [String] {
        let report = try RunReport.load(runDirectory: runDirectory)
        var written: [String] = []
        for format in formats {
            let text: String
            switch format {
            case .json: text = JSONOutput.pretty(report)
            case .md: text = MarkdownReport.render(report)
            }
            let path = runDirectory + "/" + format.fileName
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            written.append(path)
        }
        return written
    }
}
