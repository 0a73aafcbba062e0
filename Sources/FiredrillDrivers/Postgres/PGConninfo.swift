/// Text helpers for libpq connection strings (`key=value …` or `postgresql://…` URIs) that need no libpq.
enum PGConninfo {
    /// `conninfo` with any password replaced by `***`, keeping its shape, for messages and logs.
    static func redacted(_ conninfo: String) -> String {
        if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
            return redactedURI(conninfo)
        }
        return redactedKeywords(conninfo)
    }

    private static func redactedURI(_ uri: String) -> String {
        var text = uri
        if let schemeEnd = text.range(of: "://") {
            let authorityEnd = text[schemeEnd.upperBound...].firstIndex { $0 == "/" || $0 == "?" } ?? text.endIndex
            let authority = schemeEnd.upperBound..<authorityEnd
            if let at = text[authority].lastIndex(of: "@"),
               let colon = text[schemeEnd.upperBound..<at].firstIndex(of: ":") {
                text.replaceSubrange(text.index(after: colon)..<at, with: "***")
            }
        }
        if let query = text.firstIndex(of: "?") {
            let parameters = text[text.index(after: query)...].split(separator: "&", omittingEmptySubsequences: false).map { part -> String in
                part.lowercased().hasPrefix("password=") ? "password=***" : String(part)
            }
            text = String(text[...query]) + parameters.joined(separator: "&")
        }
        return text
    }

    /// Masks the value of every `password` keyword: `password = 'it''s' ` or `password=secret`.
    private static func redactedKeywords(_ conninfo: String) -> String {
        let chars = Array(conninfo)
        var out = ""
        var i = 0
        while i < chars.count {
            // Read one keyword.
            while i < chars.count, chars[i].isWhitespace { out.append(chars[i]); i += 1 }
            var keyword = ""
            while i < chars.count, chars[i] != "=", !chars[i].isWhitespace { keyword.append(chars[i]); i += 1 }
            out += keyword
            while i < chars.count, chars[i].isWhitespace { out.append(chars[i]); i += 1 }
            guard i < chars.count, chars[i] == "=" else { continue }
            out.append("="); i += 1
            while i < chars.count, chars[i].isWhitespace { out.append(chars[i]); i += 1 }
            // Read its value: quoted with '' and \' escapes, or up to whitespace.
            var value = ""
            if i < chars.count, chars[i] == "'" {
                value.append(chars[i]); i += 1
                while i < chars.count {
                    if chars[i] == "\\", i + 1 < chars.count { value.append(chars[i]); value.append(chars[i + 1]); i += 2; continue }
                    // A doubled quote stays inside the value: masking too much is safe, too little is not.
                    if chars[i] == "'", i + 1 < chars.count, chars[i + 1] == "'" { value += "''"; i += 2; continue }
                    value.append(chars[i]); i += 1
                    if value.last == "'" { break }
                }
            } else {
                while i < chars.count, !chars[i].isWhitespace {
                    if chars[i] == "\\", i + 1 < chars.count { value.append(chars[i]); i += 1 }
                    value.append(chars[i]); i += 1
                }
            }
            out += keyword.lowercased() == "password" ? "***" : value
        }
        return out
    }
}
