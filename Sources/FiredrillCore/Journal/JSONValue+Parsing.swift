extension JSONValue {
    /// Parses JSON text (RFC 8259, strict: no comments, no trailing commas, no leading zeros, strings must be
    /// valid UTF-8 without raw control characters). A repeated object key keeps its last value.
    public static func parse(_ text: String) throws(JSONParseError) -> JSONValue {
        var text = text
        let result = text.withUTF8 { utf8 in
            Result { () throws(JSONParseError) in try parse(utf8: UnsafeRawBufferPointer(utf8)) }
        }
        return try result.get()
    }

    /// Parses JSON from UTF-8 bytes; see `parse(_:)`.
    public static func parse(utf8 bytes: UnsafeRawBufferPointer) throws(JSONParseError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }
}
