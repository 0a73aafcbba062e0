/// Measures how deeply the collections of a YAML text nest, before the text is handed to the YAML composer.
///
/// The composer builds its tree recursively, so a few thousand nested `[` or indented mappings exhaust the stack.
/// This scan reads the text once, iteratively, and over-estimates the nesting: it follows flow brackets outside
/// quoted scalars and comments, and the stack of block indentation columns (a `- ` at its parent key's column
/// counts as one more level), skipping the content of block scalars. It never under-estimates the nesting of what
/// the composer would build before the first syntax error, so a text that passes it is safe to compose.
struct YAMLNestingScan {
    /// Where the nesting first went past the limit, 1-based.
    struct Excess: Equatable {
        var line: Int
        var column: Int
    }

    let limit: Int

    private struct Level {
        var column: Int
        var isSequence: Bool
    }

    /// The place where the nesting first exceeds `limit`, or nil when it never does.
    func firstExcess(in text: String) -> Excess? {
        let bytes = Self.unifyingLineBreaks(Array(text.utf8))
        let n = bytes.count
        var i = 0
        var line = 1
        var lineStart = 0
        var flow = 0
        var block: [Level] = []
        /// While inside a block scalar: the parent's column and the content indentation once known.
        var blockScalar: (parent: Int, indent: Int?)?

        func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
        func endsToken(_ k: Int) -> Bool { k >= n || isBlank(bytes[k]) || bytes[k] == 0x0A || bytes[k] == 0x0D }
        func excess(_ at: Int) -> Excess? {
            block.count + flow > limit ? Excess(line: line, column: at - lineStart + 1) : nil
        }

        while i < n {
            // At the start of a line.
            lineStart = i
            var indent = 0
            while i + indent < n, bytes[i + indent] == 0x20 { indent += 1 }
            var k = i + indent
            while k < n, isBlank(bytes[k]) { k += 1 }
            let empty = k >= n || bytes[k] == 0x0A || bytes[k] == 0x0D || (bytes[k] == 0x23 && flow == 0)
            if var scalar = blockScalar {
                let inside: Bool
                if empty {
                    inside = true
                } else if let content = scalar.indent {
                    inside = indent >= content
                } else if indent > scalar.parent {
                    scalar.indent = indent
                    blockScalar = scalar
                    inside = true
                } else {
                    inside = false
                }
                if inside {
                    i = Self.nextLine(bytes, from: i)
                    line += 1
                    continue
                }
                blockScalar = nil
            }
            if empty && flow == 0 {
                i = Self.nextLine(bytes, from: i)
                line += 1
                continue
            }
            var p = i + indent
            var atStart = true
            if flow == 0 {
                // A document marker resets everything.
                if indent == 0, p + 2 < n,
                   (bytes[p] == 0x2D && bytes[p + 1] == 0x2D && bytes[p + 2] == 0x2D) || (bytes[p] == 0x2E && bytes[p + 1] == 0x2E && bytes[p + 2] == 0x2E),
                   endsToken(p + 3) {
                    block = []
                    p += 3
                } else {
                    // The block levels this line opens: its indentation, then each compact `- ` or `? ` item.
                    var column = indent
                    while true {
                        let isSequence = bytes[p] == 0x2D && endsToken(p + 1)
                        let isComplexKey = bytes[p] == 0x3F && endsToken(p + 1)
                        while let top = block.last, top.column > column || (top.column == column && (top.isSequence || !isSequence)) {
                            block.removeLast()
                        }
                        block.append(Level(column: column, isSequence: isSequence))
                        if let e = excess(p) { return e }
                        guard isSequence || isComplexKey else { break }
                        p += 1
                        while p < n, isBlank(bytes[p]) { p += 1 }
                        if p >= n || bytes[p] == 0x0A || bytes[p] == 0x0D || bytes[p] == 0x23 { break }
                        column = p - lineStart
                    }
                }
            }
            // The rest of the line.
            var previousBlank = true
            while p < n, bytes[p] != 0x0A {
                let c = bytes[p]
                if c == 0x23, previousBlank {
                    while p < n, bytes[p] != 0x0A { p += 1 }
                    break
                }
                if atStart, c == 0x22 || c == 0x27 {
                    // A quoted scalar, possibly over several lines.
                    p += 1
                    while p < n {
                        let q = bytes[p]
                        if q == 0x0A {
                            line += 1
                            lineStart = p + 1
                        } else if c == 0x22, q == 0x5C {
                            p += 1
                            if p < n, bytes[p] == 0x0A {
                                line += 1
                                lineStart = p + 1
                            }
                        } else if q == c {
                            if c == 0x27, p + 1 < n, bytes[p + 1] == 0x27 {
                                p += 1
                            } else {
                                break
                            }
                        }
                        p += 1
                    }
                    p += 1
                    atStart = false
                    previousBlank = false
                    continue
                }
                switch c {
                case 0x5B, 0x7B: // [ {
                    if flow > 0 || atStart {
                        flow += 1
                        if let e = excess(p) { return e }
                        atStart = true
                    } else {
                        atStart = false
                    }
                case 0x5D, 0x7D: // ] }
                    if flow > 0 { flow -= 1 }
                    atStart = false
                case 0x2C: // ,
                    atStart = flow > 0
                case 0x3A: // :
                    if endsToken(p + 1) || (flow > 0 && p + 1 < n && [0x2C, 0x5B, 0x5D, 0x7B, 0x7D].contains(bytes[p + 1])) {
                        atStart = true
                    } else {
                        atStart = false
                    }
                case 0x2D, 0x3F: // - ?
                    if atStart, endsToken(p + 1) {
                        // A compact block collection after another indicator on the same line (`: - - x`).
                        if flow == 0 {
                            let column = p - lineStart
                            let isSequence = c == 0x2D
                            while let top = block.last, top.column > column || (top.column == column && (top.isSequence || !isSequence)) {
                                block.removeLast()
                            }
                            block.append(Level(column: column, isSequence: isSequence))
                            if let e = excess(p) { return e }
                        }
                    } else {
                        atStart = false
                    }
                case 0x7C, 0x3E: // | >
                    if atStart, flow == 0 {
                        blockScalar = (parent: block.last?.column ?? 0, indent: nil)
                        var q = p + 1
                        while q < n, bytes[q] == 0x2B || bytes[q] == 0x2D || (0x31...0x39).contains(bytes[q]) {
                            if (0x31...0x39).contains(bytes[q]) {
                                blockScalar?.indent = (block.last?.column ?? 0) + Int(bytes[q] - 0x30)
                            }
                            q += 1
                        }
                        while p < n, bytes[p] != 0x0A { p += 1 }
                        continue
                    }
                    atStart = false
                case 0x26, 0x21: // & ! : an anchor or tag before the node keeps the node's start
                    if atStart {
                        while p + 1 < n, !endsToken(p + 1), !(flow > 0 && [0x2C, 0x5B, 0x5D, 0x7B, 0x7D].contains(bytes[p + 1])) { p += 1 }
                    } else {
                        atStart = false
                    }
                case 0x20, 0x09, 0x0D:
                    break
                default:
                    atStart = false
                }
                previousBlank = c == 0x20 || c == 0x09
                p += 1
            }
            i = p < n ? p + 1 : n
            line += 1
        }
        return nil
    }

    /// The text with every YAML line break (CR LF, CR, NEL, LS, PS) written as one LF, as libyaml reads them.
    static func unifyingLineBreaks(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.contains(where: { $0 == 0x0D || $0 == 0xC2 || $0 == 0xE2 }) else { return bytes }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0D {
                out.append(0x0A)
                i += i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
            } else if b == 0xC2, i + 1 < bytes.count, bytes[i + 1] == 0x85 {
                out.append(0x0A)
                i += 2
            } else if b == 0xE2, i + 2 < bytes.count, bytes[i + 1] == 0x80, bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9 {
                out.append(0x0A)
                i += 3
            } else {
                out.append(b)
                i += 1
            }
        }
        return out
    }

    private static func nextLine(_ bytes: [UInt8], from start: Int) -> Int {
        var k = start
        while k < bytes.count, bytes[k] != 0x0A { k += 1 }
        return k + 1
    }
}
