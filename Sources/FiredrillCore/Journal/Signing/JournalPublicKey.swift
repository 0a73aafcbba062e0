import Crypto
import Foundation

/// An ed25519 public key: what a journal's first event, checkpoints and seal carry, and what `verify --trust`
/// is given. Its fingerprint is the lowercase hex SHA-256 of the 32 raw key bytes.
///
/// A public key file holds a `-----BEGIN FIREDRILL ED25519 PUBLIC KEY-----` block (base64 of the raw key) and a
/// comment line with the fingerprint.
public struct JournalPublicKey: Sendable, Hashable {
    static let label = "FIREDRILL ED25519 PUBLIC KEY"

    public let raw: [UInt8]

    public init(raw: [UInt8]) {
        self.raw = raw
    }

    /// From the base64 a journal carries; nil when it is not 32 bytes.
    public init?(base64: String) {
        guard let data = Data(base64Encoded: base64), data.count == 32 else { return nil }
        self.raw = [UInt8](data)
    }

    public var base64: String { Data(raw).base64EncodedString() }

    public var fingerprint: String { JournalHex.sha256(raw) }

    /// The fingerprint's first 16 hex digits, for headlines.
    public static func short(_ fingerprint: String) -> String { String(fingerprint.prefix(16)) }

    public var fileText: String {
        "# fingerprint (SHA-256 of the raw key): \(fingerprint)\n" + JournalKeyText.pem(Self.label, raw)
    }

    /// Whether `signature` (base64) is this key's ed25519 signature of `message`.
    public func verifies(_ signature: String, of message: [UInt8]) -> Bool {
        guard let sig = Data(base64Encoded: signature),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw) else { return false }
        return key.isValidSignature(sig, for: message)
    }
}
