/// Replaces every occurrence of a secret by `***`, in whole strings or in a byte stream
/// that arrives in arbitrary chunks.
struct SecretMasker: Sendable {
    static let replacement: [UInt8] = Array("***".utf8)

    /// Non-empty secrets, longest first so a secret containing another is masked whole.
    let secrets: [[UInt8]]

    init(_ secrets: [String]) {
        let unique = Set(secrets.filter { !$0.isEmpty })
        self.secrets = unique.map { Array($0.utf8) }.sorted { $0.count > $1.count }
    }

    var isEmpty: Bool { secrets.isEmpty }

    func mask(_ text: String) -> String {
        guard !isEmpty else { return text }
        var stream = Stream(masker: self)
        var bytes = stream.feed(Array(text.utf8))
        bytes += stream.finish()
        return String(decoding: bytes, as: UTF8.self)
    }

    func mask(_ argv: [String]) -> [String] { argv.map(mask) }

    /// Incremental masking: holds back only the bytes that could be the start of a secret
    /// split across two chunks.
    struct Stream: Sendable {
        let masker: SecretMasker
        private var pending: [UInt8] = []

        init(masker: SecretMasker) { self.masker = masker }

        mutating func feed(_ chunk: [UInt8]) -> [UInt8] {
            guard !masker.isEmpty else { return chunk }
            pending += chunk
            return drain(final: false)
        }

        mutating func finish() -> [UInt8] {
            guard !masker.isEmpty else { return [] }
            return drain(final: true)
        }

        private mutating func drain(final: Bool) -> [UInt8] {
            var output: [UInt8] = []
            output.reserveCapacity(pending.count)
            var index = 0
            scan: while index < pending.count {
                for secret in masker.secrets {
                    switch match(secret, at: index) {
                    case .full:
                        output += SecretMasker.replacement
                        index += secret.count
                        continue scan
                    case .partial where !final:
                        break scan
                    case .partial, .none:
                        continue
                    }
                }
                output.append(pending[index])
                index += 1
            }
            pending.removeFirst(index)
            return output
        }

        private enum Match { case none, partial, full }

        private func match(_ secret: [UInt8], at start: Int) -> Match {
            let available = pending.count - start
            let length = min(available, secret.count)
            for offset in 0..<length where pending[start + offset] != secret[offset] {
                return .none
            }
            return length == secret.count ? .full : .partial
        }
    }
}
