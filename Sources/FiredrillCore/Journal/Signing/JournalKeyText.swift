import Foundation

/// The `-----BEGIN …-----` text blocks of key files.
enum JournalKeyText {
    static func pem<Bytes: ContiguousBytes>(_ label: String, _ bytes: Bytes) -> String {
        let data = bytes.withUnsafeBytes { Data($0) }
        return "-----BEGIN \(label)-----\n\(data.base64EncodedString())\n-----END \(label)-----\n"
    }

    /// The decoded body of the first `label` block in `text`.
    static func block(_ label: String, in text: String) -> [UInt8]? {
        guard let begin = text.range(of: "-----BEGIN \(label)-----"),
              let end = text.range(of: "-----END \(label)-----", range: begin.upperBound..<text.endIndex) else { return nil }
        let body = text[begin.upperBound..<end.lowerBound].filter { !$0.isWhitespace }
        return Data(base64Encoded: String(body)).map { [UInt8]($0) }
    }
}
