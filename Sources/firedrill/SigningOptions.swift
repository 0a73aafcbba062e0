import ArgumentParser
import FiredrillCore
import Foundation

/// `--signing-key FILE` (or `$FIREDRILL_SIGNING_KEY`): the ed25519 key that signs the journal's checkpoints and
/// seal, sign-offs and annotations.
struct SigningOptions: ParsableArguments {
    @Option(name: .customLong("signing-key"), help: "Sign with this ed25519 key (from `firedrill key generate`); default $FIREDRILL_SIGNING_KEY.")
    var signingKey: String?

    /// The key file named by the option or the environment, loaded; nil when neither names one.
    func load() throws -> JournalSigningKey? {
        let path = signingKey ?? ProcessInfo.processInfo.environment[JournalSigningKey.environmentVariable].flatMap { $0.isEmpty ? nil : $0 }
        guard let path else { return nil }
        do {
            return try JournalSigningKey.load(path: path)
        } catch {
            Console.error("signing key: \(error)")
            throw ExitStatus.failed
        }
    }

    /// The journal signing settings for the key.
    func signing() throws -> JournalSigning {
        JournalSigning(key: try load())
    }
}
