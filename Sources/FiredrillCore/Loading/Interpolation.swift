/// `${…}` references inside plan strings: `${name}` (a var), `${env.NAME}`, `${secret.name}`,
/// `${steps.STEP.FIELD}`.
public struct Interpolation: Sendable, Hashable {
    /// What a reference points at.
    public enum Target: Sendable, Hashable {
        case variable(String)
        case environment(String)
        case secret(String)
        case step(String, field: String)
    }

    public var target: Target
    /// The text between `${` and `}`.
    public var expression: String
    /// Offset of `${` within the string, in characters.
    public var offset: Int
    public var length: Int

    /// Every reference in `text`. Malformed ones (an unclosed `${`) are returned as errors with their offset.
    public static func references(in text: String) -> (refs: [Interpolation], errors: [(offset: Int, message: String)]) {
        var refs: [Interpolation] = []
        var errors: [(Int, String)] = []
        let chars = Array(text)
        var i = 0
        while i < chars.count - 1 {
            if chars[i] == "$", chars[i + 1] == "{" {
                guard let close = chars[(i + 2)...].firstIndex(of: "}") else {
                    errors.append((i, "unclosed `${`: a reference is written ${name}"))
                    break
                }
                let expr = String(chars[(i + 2)..<close]).trimmingCharacters(in: .whitespaces)
                if let target = parse(expr) {
                    refs.append(Interpolation(target: target, expression: expr, offset: i, length: close - i + 1))
                } else {
                    errors.append((i, "malformed reference `${\(expr)}`: use ${name}, ${env.NAME}, ${secret.name} or ${steps.STEP.FIELD}"))
                }
                i = close + 1
            } else {
                i += 1
            }
        }
        return (refs, errors)
    }

    static func parse(_ expr: String) -> Target? {
        let parts = expr.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !expr.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(isNameCharacter) }) else { return nil }
        switch parts[0] {
        case "env" where parts.count == 2: return .environment(parts[1])
        case "secret" where parts.count == 2: return .secret(parts[1])
        case "steps" where parts.count >= 3: return .step(parts[1], field: parts[2...].joined(separator: "."))
        default: return parts.count == 1 ? .variable(parts[0]) : nil
        }
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isLetter || c.isNumber || c == "_" || c == "-"
    }

    /// The longest text, in UTF-8 bytes, one substitution may produce. A value that would grow past it keeps its
    /// references as written from there on, and the validator reports it.
    public static let maxExpandedBytes = 64 * 1024
    /// The most references one value may hold.
    public static let maxReferences = 1_000

    /// Replaces every reference using `lookup`; a nil from `lookup` leaves the reference as written, and so does
    /// any reference whose value would take the text past `maxExpandedBytes`.
    public static func substitute(_ text: String, _ lookup: (Target) -> String?) -> String {
        expand(text, lookup).text
    }

    /// `substitute`, and whether the result was cut short by `maxExpandedBytes`.
    public static func expand(_ text: String, _ lookup: (Target) -> String?) -> (text: String, overflowed: Bool) {
        let (refs, _) = references(in: text)
        guard !refs.isEmpty else { return (text, false) }
        var out = ""
        var size = 0
        var overflowed = false
        let chars = Array(text)
        var position = 0
        for ref in refs {
            let before = String(chars[position..<ref.offset])
            let written = String(chars[ref.offset..<(ref.offset + ref.length)])
            var value = overflowed ? written : lookup(ref.target) ?? written
            if !overflowed, size + before.utf8.count + value.utf8.count > maxExpandedBytes {
                overflowed = true
                value = written
            }
            out += before
            out += value
            size += before.utf8.count + value.utf8.count
            position = ref.offset + ref.length
        }
        out += String(chars[position...])
        return (out, overflowed)
    }
}

import Foundation
