import FiredrillCore
import Foundation

/// Writes the report files of a run directory from its journal.
public enum ReportWriter {
    /// The formats `firedrill report --format` accepts.
    public enum Format: String, Sendable, CaseIterable {
        case json, md, html, junit

        /// The file written in the run directory.
        public var fileName: String {
            switch self {
            case .json: "report.json"
            case .md: "report.md"
            case .html: "report.html"
            case .junit: "junit.xml"
            }
        }
    }

    /// Renders `formats` into the run directory; returns the paths written.
    @discardableResult
    public static func write(runDirectory: String, formats: [Format] = Format.allCases) throws -> [String] {
        let report = try RunReport.load(runDirectory: runDirectory)
        var written: [String] = []
        for format in formats {
            let path = runDirectory + "/" + format.fileName
            do {
                try Data(render(report, as: format).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw RunError("cannot write \(path): \(error)")
            }
            written.append(path)
        }
        return written
    }

    /// The text of one format.
    public static func render(_ report: RunReport, as format: Format) -> String {
        switch format {
        case .json: ReportJSON.render(report)
        case .md: MarkdownReport.render(report)
        case .html: HTMLReport.render(report)
        case .junit: JUnitReport.render(report)
        }
    }
}
