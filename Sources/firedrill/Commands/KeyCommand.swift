import ArgumentParser
import FiredrillCore
import Foundation

/// `firedrill key generate --out DIR` — an ed25519 key pair for signed runs.
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Manage the ed25519 keys that sign journals, sign-offs and annotations.",
        subcommands: [Generate.self]
    )

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "generate",
            abstract: "Write a new key pair: NAME.key (private, mode 0600) and NAME.pub (public, with its fingerprint)."
        )

        @Option(help: "Directory to write the key files into (created if needed; existing files are never overwritten).")
        var out: String

        @Option(help: "Base name of the key files.")
        var name: String = "firedrill"

        func run() throws {
            let key = JournalSigningKey.generate()
            do {
                let paths = try key.write(to: out, name: name)
                print("private key: \(paths.privatePath) (mode 0600: keep it secret; pass it as --signing-key or $FIREDRILL_SIGNING_KEY)")
                print("public key:  \(paths.publicPath) (give it to auditors: firedrill verify RUN_DIR --trust \(paths.publicPath))")
                print("fingerprint: \(key.publicKey.fingerprint)")
            } catch {
                Console.error("\(error)")
                throw ExitStatus.failed
            }
        }
    }
}
