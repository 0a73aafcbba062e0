import Crypto
import Foundation

/// An ed25519 private key that signs a journal's checkpoints and seal, sign-offs and annotations.
///
/// On disk it is a text file written with mode 0600:
/// ```
/// -----BEGIN FIREDRILL ED25519 PRIVATE KEY-----
/// <base64 of the 32-byte raw private key>
/// -----END FIREDRILL ED25519 PRIVATE KEY-----
/// ```
public struct JournalSigningKey: Sendable {
    static let label = "FIREDRILL ED25519 PRIVATE KEY"

    /// The 32 raw private key bytes (the swift-crypto key type is not `Sendable`).
    private let raw: [UInt8]
    public let publicKey: JournalPublicKey

    private init(key: Curve25519.Signing.PrivateKey) {
        self.raw = [UInt8](key.rawRepresentation)
        self.publicKey = JournalPublicKey(raw: [UInt8](key.publicKey.rawRepresentation))
    }

    /// The environment variable naming the key file when `--signing-key` is not given.
    public static let environmentVariable = "FIREDRILL_SIGNING_KEY"

    /// A fresh random key.
    public static func generate() -> JournalSigningKey {
        JournalSigningKey(key: Curve25519.Signing.PrivateKey())
    }

    /// Reads a key file; the error names the file and what is wrong with it.
    public static func load(path: String) throws(JournalKeyError) -> JournalSigningKey {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw JournalKeyError(path: path, "cannot be read (\(error.localizedDescription))")
        }
        if let mode = (try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw JournalKeyError(path: path, String(format: "is readable by others (mode %o): a signing key must be private; chmod 600 it", mode & 0o777))
        }
        guard let raw = JournalKeyText.block(label, in: text) else {
            throw JournalKeyError(path: path, "is not a Firedrill private key (expected a \"-----BEGIN \(label)-----\" block, as `firedrill key generate` writes)")
        }
        guard raw.count == 32, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw) else {
            throw JournalKeyError(path: path, "holds \(raw.count) bytes where an ed25519 private key has 32")
        }
        return JournalSigningKey(key: key)
    }

    /// The key file's text.
    public var fileText: String {
        JournalKeyText.pem(Self.label, raw)
    }

    /// The ed25519 signature of `message`, base64.
    public func sign(_ message: [UInt8]) -> String {
        // Signing with a well-formed key cannot fail; an empty signature would fail verification, never pass it.
        let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        return ((try? key?.signature(for: message)) ?? Data()).base64EncodedString()
    }

    /// Writes the private key (mode 0600, never overwriting) and public key files into `directory`.
    public func write(to directory: String, name: String = "firedrill") throws(JournalKeyError) -> (privatePath: String, publicPath: String) {
        let privatePath = directory + "/" + name + ".key"
        let publicPath = directory + "/" + name + ".pub"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw JournalKeyError(path: directory, "cannot be created (\(error.localizedDescription))")
        }
        for path in [privatePath, publicPath] where FileManager.default.fileExists(atPath: path) {
            throw JournalKeyError(path: path, "exists already; a key is never overwritten")
        }
        try Self.writeNew(privatePath, fileText, mode: 0o600)
        try Self.writeNew(publicPath, publicKey.fileText, mode: 0o644)
        return (privatePath, publicPath)
    }

    private static func writeNew(_ path: String, _ text: String, mode: mode_t) throws(JournalKeyError) {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw JournalKeyError(path: path, "cannot be created (\(String(cString: strerror(errno))))") }
        defer { _ = Foundation.close(fd) }
        _ = fchmod(fd, mode)
        let bytes = Array(text.utf8)
        do {
            try JournalFileIO.writeAll(fd, bytes, path: path)
            try JournalFileIO.fsync(fd, path: path)
        } catch {
            throw JournalKeyError(path: path, "cannot be written (\(error))")
        }
    }
}
