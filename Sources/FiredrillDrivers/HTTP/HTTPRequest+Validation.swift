extension HTTPRequest {
    /// Why this request cannot be sent as given, or `nil` when it can.
    ///
    /// Catches what libcurl would silently mangle: NUL bytes (C strings end there) and CR/LF in
    /// the request line or headers (they would inject extra header lines).
    func validationProblem() -> String? {
        if url.isEmpty { return "the URL is empty" }
        if Self.hasControlBreak(url) || url.contains(" ") { return "the URL contains a space, line break or NUL" }
        if method.rawValue.isEmpty || !method.rawValue.allSatisfy(Self.isTokenCharacter) {
            return "method \"\(method.rawValue)\" is not a valid token"
        }
        for header in headers {
            if header.name.isEmpty || !header.name.allSatisfy(Self.isTokenCharacter) {
                return "header name \"\(header.name)\" is not a valid token"
            }
            if Self.hasControlBreak(header.value) { return "header \(header.name) contains a line break or NUL" }
        }
        if timeout <= .zero { return "the timeout must be positive" }
        if let connectTimeout, connectTimeout <= .zero { return "the connect timeout must be positive" }
        if maxBodyBytes < 0 { return "maxBodyBytes must not be negative" }
        if maxRedirects < 0 { return "maxRedirects must not be negative" }
        for (label, path) in [("CA file", tls.caFile), ("client certificate", tls.clientCert), ("client key", tls.clientKey)] {
            if let path, path.isEmpty || Self.hasControlBreak(path) { return "the \(label) path is empty or contains a line break or NUL" }
        }
        return nil
    }

    private static func hasControlBreak(_ text: String) -> Bool {
        text.utf8.contains { $0 == 0 || $0 == 0x0A || $0 == 0x0D }
    }

    /// RFC 9110 `tchar`.
    private static func isTokenCharacter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        switch ascii {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "!#$%&'*+-.^_`|~".utf8.contains(ascii)
        }
    }
}
