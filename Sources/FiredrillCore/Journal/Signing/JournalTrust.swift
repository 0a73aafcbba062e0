import Foundation

/// The set of keys `verify` trusts, by fingerprint: public key files (`--trust`), fingerprints, or a trusted-keys
/// file holding any number of public key blocks, bare base64 keys or 64-hex fingerprints (one per line, `#`
/// comments).
public struct JournalTrust: Sendable {
    public private(set) var fingerprints: Set<String> = []

    public init() {}

    public var isEmpty: Bool { fingerprints.isEmpty }

    public func trusts(_ fingerprint: String) -> Bool { fingerprints.contains(fingerprint) }

    /// Adds a public key file, a trusted-keys file, or a fingerprint given directly.
    public mutating func add(_ argument: String) throws(JournalKeyError) {
        let trimmed = argument.trimmingCharacters(in: .whitespaces).lowercased()
        if JournalHex.isSHA256(trimmed), !FileManager.default.fileExists(atPath: argument) {
            fingerprints.insert(trimmed)
            return
        }
        let text: String
        do {
            text = try String(contentsOfFile: argument, encoding: .utf8)
        } catch {
            throw JournalKeyError(path: argument, "cannot be read (\(error.localizedDescription))")
        }
        let found = Self.parse(text)
        guard !found.isEmpty else {
            throw JournalKeyError(path: argument, "holds no public key (expected \"-----BEGIN \(JournalPublicKey.label)-----\" blocks, base64 keys or SHA-256 fingerprints)")
        }
        fingerprints.formUnion(found)
    }

    /// Every fingerprint in `text`.
    static func parse(_ text: String) -> Set<String> {
        var out: Set<String> = []
        var inBlock = false
        for rawLine in text.split(whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("-----BEGIN") { inBlock = true; continue }
            if line.hasPrefix("-----END") { inBlock = false; continue }
            let token = String(line.split(separator: " ").first ?? "")
            if JournalHex.isSHA256(token.lowercased()), !inBlock {
                out.insert(token.lowercased())
            } else if let key = JournalPublicKey(base64: token) {
                out.insert(key.fingerprint)
            }
        }
        return out
    }
}
