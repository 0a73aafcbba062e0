import Foundation

/// Every form in which a secret may reach output, for the one masker every printed, journaled or rendered line
/// passes through.
///
/// A secret is not always printed whole. A URL or conninfo parser splits one containing `@ : / # ? & = ;` or a
/// space (`Zq9@Kx7:Pw/Lm3` in `postgres://u:Zq9@Kx7:Pw/Lm3@db/app` becomes the user info `u:Zq9`, the host
/// `Kx7` and so on), and a driver's error echoes the piece it choked on. So besides the secret itself, its
/// percent-encoded and percent-decoded forms are masked, and so is every piece of each form that runs from the
/// start or a separator to a separator or the end, when at least `minimumPiece` characters long: a shorter piece
/// is not distinctive enough to mask without garbling unrelated text.
public enum SecretVariants {
    /// The shortest piece of a split secret that is masked.
    public static let minimumPiece = 6
    /// The most forms kept per secret (the longest), so a secret full of separators stays cheap to mask.
    public static let maximumForms = 256
    static let separators: Set<Character> = ["@", ":", "/", "#", "?", "&", "=", ";", " ", ",", "'", "\"", "\\"]

    /// The secret and every form of it to mask, longest first. A piece that also stands in `publicText` (the plan
    /// file, which is copied into every run directory as it is) is not masked: it is no secret, and masking it
    /// would garble the plan's own words (`postgres` of a DSN in a plan named `orders-postgres`). The secret
    /// itself and its encoded forms are always masked.
    public static func forms(of secret: String, publicText: String = "") -> [String] {
        guard !secret.isEmpty else { return [] }
        var forms: Set<String> = [secret]
        var wholes: Set<String> = [secret]
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) { wholes.insert(encoded) }
        if let encoded = secret.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) { wholes.insert(encoded) }
        if let decoded = secret.removingPercentEncoding { wholes.insert(decoded) }
        for whole in wholes {
            forms.insert(whole)
            forms.formUnion(pieces(of: whole).filter { publicText.isEmpty || !publicText.contains($0) })
        }
        let sorted = forms.filter { !$0.isEmpty }.sorted { ($0.count, $0) > ($1.count, $1) }
        return Array(sorted.prefix(maximumForms))
    }

    /// The pieces of `text` between separators (or its ends), at least `minimumPiece` characters long.
    static func pieces(of text: String) -> Set<String> {
        let chars = Array(text)
        let cuts = chars.indices.filter { separators.contains(chars[$0]) }
        guard !cuts.isEmpty else { return [] }
        let starts = [0] + cuts.map { $0 + 1 }
        let ends = cuts + [chars.count]
        var pieces: Set<String> = []
        for start in starts {
            for end in ends where end - start >= minimumPiece {
                pieces.insert(String(chars[start..<end]))
                if pieces.count >= maximumForms { return pieces }
            }
        }
        return pieces
    }
}
