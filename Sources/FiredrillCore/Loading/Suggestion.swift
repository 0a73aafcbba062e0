/// "Did you mean…" suggestions for misspelled keys and driver names.
enum Suggestion {
    /// Words and candidates longer than this get no suggestion.
    static let maxLength = 64
    /// Only this many candidates are compared.
    static let maxCandidates = 1_000

    /// The candidate closest to `word`, if it is close enough to be a likely typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        // Names are short: a long word is no typo of one, and comparing it would cost its length squared.
        guard word.count <= maxLength else { return nil }
        var best: (String, Int)?
        for candidate in candidates.prefix(maxCandidates) where candidate.count <= maxLength {
            let d = distance(word.lowercased(), candidate.lowercased())
            if d < (best?.1 ?? Int.max) { best = (candidate, d) }
        }
        guard let (candidate, d) = best else { return nil }
        let limit = max(2, min(word.count, candidate.count) / 3)
        if d <= limit { return candidate }
        if candidate.hasPrefix(word) || word.hasPrefix(candidate) { return candidate }
        return nil
    }

    static func hint(for word: String, in candidates: [String]) -> String? {
        closest(to: word, in: candidates).map { "did you mean `\($0)`?" }
    }

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
