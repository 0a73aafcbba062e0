/// Splits a command line into words the way a POSIX shell would for plain words and quotes, and refuses anything
/// that only a real shell can do (pipes, redirections, variables, globbing, command substitution, `;` and `&&`).
public enum ShellWords {
    /// Why a string needs a real shell, or why it does not split.
    public struct NeedsShell: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var description: String { reason }
    }

    public static func split(_ line: String) throws(NeedsShell) -> [String] {
        var words: [String] = []
        var current = ""
        var inWord = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            switch c {
            case " ", "\t", "\n":
                if inWord { words.append(current); current = ""; inWord = false }
            case "'":
                inWord = true
                guard let end = chars.firstIndex(of: "'") else { throw NeedsShell(reason: "an unclosed single quote") }
                current += String(chars[..<end])
                chars = chars[(end + 1)...]
            case "\"":
                inWord = true
                var closed = false
                while let d = chars.popFirst() {
                    if d == "\"" { closed = true; break }
                    if d == "$" || d == "`" { throw NeedsShell(reason: "`\(d)` inside double quotes expands in a shell") }
                    if d == "\\", let next = chars.first, "\"\\$`\n".contains(next) {
                        current.append(chars.removeFirst())
                    } else {
                        current.append(d)
                    }
                }
                guard closed else { throw NeedsShell(reason: "an unclosed double quote") }
            case "\\":
                inWord = true
                guard let next = chars.popFirst() else { throw NeedsShell(reason: "a trailing backslash") }
                if next != "\n" { current.append(next) }
            case "|", "&", ";", "<", ">", "(", ")", "$", "`":
                throw NeedsShell(reason: "`\(c)` is shell syntax (pipes, redirections, variables, substitutions)")
            case "*", "?", "[":
                throw NeedsShell(reason: "`\(c)` is a shell glob")
            case "~" where !inWord:
                throw NeedsShell(reason: "`~` is expanded by a shell")
            case "#" where !inWord:
                throw NeedsShell(reason: "`#` starts a shell comment")
            default:
                inWord = true
                current.append(c)
            }
        }
        if inWord { words.append(current) }
        return words
    }
}
