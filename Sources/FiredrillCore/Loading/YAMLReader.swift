import Foundation
import Yams

/// Turns the bytes of a plan file into a located `PlanNode` tree, or into diagnostics that point at the problem.
///
/// It never traps on user input: bad UTF-8, tabs, broken indentation, several documents and empty files all become
/// diagnostics.
public struct YAMLReader: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// Parses `data`; on failure the result carries at least one error diagnostic.
    public func read(_ data: Data) -> (node: PlanNode?, text: String, diagnostics: [Diagnostic]) {
        guard let text = String(data: data, encoding: .utf8) else {
            let (line, column, byte) = Self.firstInvalidUTF8(in: data)
            let message = String(format: "the file is not valid UTF-8: byte 0x%02X cannot start or continue a character", byte)
            let lossy = String(decoding: data, as: UTF8.self)
            return (nil, lossy, [Diagnostic(at: loc(line, column), message, hint: "save the file as UTF-8")])
        }
        if text.allSatisfy({ $0.isWhitespace }) {
            return (nil, text, [Diagnostic(at: loc(1, 1), Self.emptyMessage)])
        }
        if let nul = Self.firstNUL(in: data) {
            let (line, column) = Self.lineColumn(ofUTF8Offset: nul, in: data)
            return (nil, text, [Diagnostic(at: loc(line, column), "the file contains a NUL byte: it is not a text file",
                                           hint: "save the plan as plain UTF-8 text")])
        }
        if data.count > Self.maxFileBytes {
            return (nil, text, [Diagnostic(at: loc(1, 1), "the file is \(ByteSize(bytes: Int64(data.count))): a plan file may be at most \(ByteSize(bytes: Int64(Self.maxFileBytes)))",
                                           hint: "split it into several plans")])
        }
        if let deep = YAMLNestingScan(limit: Self.maxDepth).firstExcess(in: text) {
            return (nil, text, [Self.tooDeep(at: loc(deep.line, deep.column))])
        }
        do {
            // `compose_all` reports a syntax error by ending its sequence early and keeping the error aside, so
            // the sequence is walked by hand and its error checked after every document.
            var documents = try Yams.compose_all(yaml: text)
            var nodes: [Node] = []
            while nodes.count < 2, let document = documents.next() {
                nodes.append(document)
            }
            if let error = documents.error {
                throw error
            }
            guard let root = nodes.first else {
                return (nil, text, [Diagnostic(at: loc(1, 1), Self.emptyMessage, hint: "the file holds only comments")])
            }
            if nodes.count > 1, let mark = nodes[1].mark {
                let line = Self.documentStartLine(before: mark.line, in: text) ?? mark.line
                let column = line == mark.line ? mark.column : 1
                return (nil, text, [Diagnostic(at: loc(line, column), "one file holds one plan, but a second YAML document starts here",
                                               hint: "split the plans into separate files", length: line == mark.line ? 1 : 3)])
            }
            var budget = Self.maxNodes
            return (try convert(root, depth: 1, budget: &budget), text, [])
        } catch let limit as Limit {
            return (nil, text, [limit.diagnostic])
        } catch let error as YamlError {
            return (nil, text, [diagnostic(for: error, in: text)])
        } catch {
            return (nil, text, [Diagnostic(at: loc(1, 1), "could not parse YAML: \(error)")])
        }
    }

    static let emptyMessage = "the file is empty: a plan needs at least `apiVersion`, `kind` and `name`"

    private func loc(_ line: Int, _ column: Int) -> SourceLocation {
        SourceLocation(file: path, line: max(1, line), column: max(1, column))
    }

    /// The most deeply nested collections a plan may have; real plans stay under 15.
    static let maxDepth = 64
    /// The most nodes a plan may hold once its aliases are expanded; real plans hold a few hundred.
    static let maxNodes = 100_000
    /// The largest plan file read.
    static let maxFileBytes = 1 << 20

    static func tooDeep(at location: SourceLocation) -> Diagnostic {
        Diagnostic(at: location, "the YAML nests more than \(maxDepth) levels deep here",
                   hint: "a plan needs far fewer levels; check for runaway brackets or indentation")
    }

    /// A bound the document went past while it was converted.
    struct Limit: Error {
        var diagnostic: Diagnostic
    }

    /// Converts the composed tree, expanding aliases, within `maxDepth` levels and `budget` nodes.
    private func convert(_ node: Node, depth: Int, budget: inout Int) throws(Limit) -> PlanNode {
        let at = node.mark.map { loc($0.line, $0.column) } ?? loc(1, 1)
        budget -= 1
        if budget < 0 {
            throw Limit(diagnostic: Diagnostic(at: at, "the YAML expands to more than \(Self.maxNodes) nodes (aliases included) by here",
                                               hint: "a plan this large is almost certainly an alias bomb; expand fewer aliases"))
        }
        if depth > Self.maxDepth { throw Limit(diagnostic: Self.tooDeep(at: at)) }
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
                || scalar.style == .literal || scalar.style == .folded
            return PlanNode(.scalar(scalar.string, quoted: quoted), at: at)
        case .sequence(let sequence):
            var items: [PlanNode] = []
            for item in sequence { items.append(try convert(item, depth: depth + 1, budget: &budget)) }
            return PlanNode(.sequence(items), at: at)
        case .mapping(let mapping):
            var entries: [PlanNode.Entry] = []
            for pair in mapping {
                let keyAt = pair.key.mark.map { loc($0.line, $0.column) } ?? at
                let key = pair.key.scalar?.string ?? "<complex key>"
                entries.append(PlanNode.Entry(key: key, keyLocation: keyAt, value: try convert(pair.value, depth: depth + 1, budget: &budget)))
            }
            return PlanNode(.mapping(entries), at: at)
        }
    }

    private func diagnostic(for error: YamlError, in text: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _),
             .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            // libyaml puts the end of the stream one line past a file that does not end in a newline.
            func clamped(_ line: Int, _ column: Int) -> (line: Int, column: Int) {
                guard line > lines.count, let last = lines.last else { return (line, column) }
                return (lines.count, last.unicodeScalars.count + 1)
            }
            let (line, column) = clamped(mark.line, mark.column)
            let opened = context.map { c in (text: c.text, position: clamped(c.mark.line, c.mark.column)) }
            let lineText = line - 1 < lines.count && line >= 1 ? String(lines[line - 1]) : ""
            var hint: String?
            let indentation = lineText.prefix { $0 == " " || $0 == "\t" }
            if let tab = indentation.firstIndex(of: "\t") {
                let tabColumn = lineText.distance(from: lineText.startIndex, to: tab) + 1
                return Diagnostic(at: loc(line, tabColumn), "a tab character is not allowed in indentation",
                                  hint: "YAML indentation must use spaces, not tabs")
            } else if problem.contains("mapping values are not allowed") {
                hint = "check the indentation of this line against the one above, or quote a value that contains `: `"
            } else if problem.contains("did not find expected key") || problem.contains("did not find expected '-'") {
                hint = "this line is indented differently from its siblings"
            }
            var at = loc(line, column)
            var message = "invalid YAML: \(problem)"
            if let opened {
                // At the end of the file the error mark points at nothing; the construct left open is what to fix.
                let atEnd = lineText.allSatisfy(\.isWhitespace) && line >= lines.count - 1 && opened.position.line < line
                if atEnd {
                    at = loc(opened.position.line, opened.position.column)
                    message += " (\(opened.text) that starts here and is never closed)"
                } else {
                    message += " (\(opened.text) at line \(opened.position.line))"
                }
                if hint == nil, opened.text.contains("flow sequence") || opened.text.contains("flow mapping") {
                    let bracket = opened.text.contains("sequence") ? "[" : "{"
                    hint = "the `\(bracket)` opened at line \(opened.position.line) is not closed"
                }
            }
            return Diagnostic(at: at, message, hint: hint)
        case .reader(let problem, let offset, _, _):
            let (line, column) = Self.lineColumn(ofUTF8Offset: offset ?? 0, in: Data(text.utf8))
            return Diagnostic(at: loc(line, column), "invalid YAML input: \(problem)")
        default:
            return Diagnostic(at: loc(1, 1), "could not parse YAML: \(error)")
        }
    }

    /// Finds the first byte that breaks UTF-8 decoding and its 1-based line and column.
    static func firstInvalidUTF8(in data: Data) -> (Int, Int, UInt8) {
        let bytes = [UInt8](data)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let need: Int
            switch b {
            case 0x00...0x7F: need = 0
            case 0xC2...0xDF: need = 1
            case 0xE0...0xEF: need = 2
            case 0xF0...0xF4: need = 3
            default:
                let (l, c) = lineColumn(ofUTF8Offset: i, in: data)
                return (l, c, b)
            }
            var ok = i + need < bytes.count
            if ok {
                for k in 0..<need where bytes[i + 1 + k] & 0xC0 != 0x80 { ok = false }
            }
            if !ok {
                let (l, c) = lineColumn(ofUTF8Offset: i, in: data)
                return (l, c, b)
            }
            i += need + 1
        }
        return (1, 1, 0)
    }

    /// The byte offset of the first NUL byte, if any.
    static func firstNUL(in data: Data) -> Int? {
        data.firstIndex(of: 0).map { $0 - data.startIndex }
    }

    /// The line of the `---` marker that opens the document whose first node is on `line`, if there is one.
    static func documentStartLine(before line: Int, in text: String) -> Int? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var index = min(line, lines.count) - 1
        while index >= 0 {
            if lines[index].hasPrefix("---") { return index + 1 }
            index -= 1
        }
        return nil
    }

    static func lineColumn(ofUTF8Offset offset: Int, in data: Data) -> (Int, Int) {
        var line = 1
        var column = 1
        for (index, byte) in data.enumerated() {
            if index >= offset { break }
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }
}
