import Foundation

/// A small JSONPath: `$`, `.name`, `['name']` or `["name"]`, `[3]` (negative counts from the end), and the `[*]` / `.*`
/// wildcard, which selects every element of an array or every value of an object (in key order).
///
/// Recursive descent (`..`), filters (`[?…]`), slices and functions are not supported and are reported as such.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    /// One step of a path.
    public enum Segment: Sendable, Hashable {
        case field(String)
        case index(Int)
        case wildcard
    }

    /// The path as written.
    public let text: String
    public let segments: [Segment]

    public init(text: String, segments: [Segment]) {
        self.text = text
        self.segments = segments
    }

    public var description: String { text }

    static let hint = "write a path like $.status, $.items[0].name, $['content-type'] or $.items[*].state"

    /// Reads a path; errors carry the 0-based `offset` of the offending character.
    public static func parse(_ text: String) throws(ValueError) -> JSONPath {
        let chars = Array(text)
        func fail(_ what: String, at offset: Int) -> ValueError {
            ValueError("bad JSONPath \(DecimalText.quoted(text)): \(what) (at character \(offset + 1))", hint: hint, offset: offset)
        }
        guard !chars.isEmpty else { throw ValueError("a JSONPath cannot be empty", hint: hint, offset: 0) }
        guard chars[0] == "$" else { throw fail("it must start with $", at: 0) }
        var segments: [Segment] = []
        var i = 1
        while i < chars.count {
            switch chars[i] {
            case ".":
                i += 1
                guard i < chars.count else { throw fail("expected a field name after \".\"", at: i) }
                if chars[i] == "." { throw fail("recursive descent (..) is not supported", at: i - 1) }
                if chars[i] == "*" {
                    segments.append(.wildcard)
                    i += 1
                    continue
                }
                let start = i
                while i < chars.count, !".[]\"' ".contains(chars[i]), !chars[i].isWhitespace { i += 1 }
                guard i > start else { throw fail("expected a field name after \".\"", at: start) }
                let name = String(chars[start..<i])
                if name.contains("(") || name.contains(")") {
                    throw fail("functions are not supported", at: start)
                }
                segments.append(.field(name))
            case "[":
                let open = i
                i += 1
                while i < chars.count, chars[i] == " " { i += 1 }
                guard i < chars.count else { throw fail("\"[\" is not closed", at: open) }
                let c = chars[i]
                if c == "*" {
                    segments.append(.wildcard)
                    i += 1
                } else if c == "'" || c == "\"" {
                    let quote = c
                    i += 1
                    var name = ""
                    var closed = false
                    while i < chars.count {
                        if chars[i] == "\\", i + 1 < chars.count {
                            name.append(chars[i + 1])
                            i += 2
                            continue
                        }
                        if chars[i] == quote {
                            closed = true
                            i += 1
                            break
                        }
                        name.append(chars[i])
                        i += 1
                    }
                    guard closed else { throw fail("the quoted name is not closed", at: open + 1) }
                    segments.append(.field(name))
                } else if DecimalText.isDigit(c) || c == "-" {
                    let start = i
                    i += 1
                    while i < chars.count, DecimalText.isDigit(chars[i]) { i += 1 }
                    if i < chars.count, chars[i] == ":" { throw fail("slices are not supported", at: i) }
                    guard let index = Int(String(chars[start..<i])) else { throw fail("not an index", at: start) }
                    segments.append(.index(index))
                } else if c == "?" {
                    throw fail("filters are not supported", at: i)
                } else if c == ":" {
                    throw fail("slices are not supported", at: i)
                } else {
                    throw fail("expected a number, * or a quoted name inside [ ]", at: i)
                }
                while i < chars.count, chars[i] == " " { i += 1 }
                guard i < chars.count, chars[i] == "]" else { throw fail("expected \"]\"", at: min(i, chars.count)) }
                i += 1
            default:
                throw fail("unexpected \(DecimalText.quoted(String(chars[i])))", at: i)
            }
        }
        return JSONPath(text: text, segments: segments)
    }

    /// Every value the path selects in `value`; empty when nothing matches.
    public func evaluate(_ value: JSONValue) -> [JSONValue] {
        var current = [value]
        for segment in segments {
            var next: [JSONValue] = []
            for item in current {
                switch (segment, item) {
                case (.field(let name), .object(let fields)):
                    if let v = fields[name] { next.append(v) }
                case (.index(let index), .array(let elements)):
                    let position = index < 0 ? elements.count + index : index
                    if position >= 0, position < elements.count { next.append(elements[position]) }
                case (.wildcard, .array(let elements)):
                    next.append(contentsOf: elements)
                case (.wildcard, .object(let fields)):
                    next.append(contentsOf: fields.keys.sorted().compactMap { fields[$0] })
                default:
                    break
                }
            }
            current = next
            if current.isEmpty { break }
        }
        return current
    }
}
