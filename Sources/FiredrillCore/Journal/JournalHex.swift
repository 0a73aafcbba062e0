import Crypto

/// Lowercase hexadecimal text and the SHA-256 line hash used by the journal.
enum JournalHex {
    static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Lowercase hex of `bytes`.
    static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lowercase hex SHA-256 of `bytes`.
    static func sha256(_ bytes: UnsafeRawBufferPointer) -> String {
        encode(SHA256.hash(data: bytes))
    }

    /// Lowercase hex SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { sha256($0) }
    }

    /// Whether `text` is 64 lowercase hex digits.
    static func isSHA256(_ text: String) -> Bool {
        var count = 0
        for byte in text.utf8 {
            guard (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "f")) else { return false }
            count += 1
        }
        return count == 64
    }
}
