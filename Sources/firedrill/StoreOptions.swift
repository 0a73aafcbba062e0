import ArgumentParser
import FiredrillStore

/// `--store` / `--no-store`, shared by `run`, `history` and `due`.
struct StoreOptions: ParsableArguments {
    @Option(name: .customLong("store"), help: ArgumentHelp(
        "The history store: a SQLite file, or postgresql://… for a team's shared store.",
        discussion: "Default: $FIREDRILL_STORE, else .firedrill-history.sqlite under the reports root."))
    var location: String?

    /// The store to use for a reports root.
    func resolved(reportsRoot: String) -> String {
        StoreLocation.resolve(option: location, reportsRoot: reportsRoot)
    }

    /// Opens the store, reads from it with `body` and closes it; exits 3 with a clear message when it cannot.
    func read<T: Sendable>(reportsRoot: String, _ body: (any RunStore) async throws -> T) async throws -> (value: T, store: String) {
        let store = try await open(reportsRoot: reportsRoot, readOnly: true)
        do {
            let value = try await body(store)
            await store.close()
            return (value, store.description)
        } catch let exit as ExitCode {
            await store.close()
            throw exit
        } catch {
            await store.close()
            Console.error("cannot read the store \(store.description): \(error)")
            throw ExitStatus.failed
        }
    }

    /// Opens the store or exits 3 with a clear message; `readOnly` does not create a missing SQLite file.
    func open(reportsRoot: String, readOnly: Bool = false) async throws -> any RunStore {
        let where_ = resolved(reportsRoot: reportsRoot)
        do {
            return try await StoreLocation.open(where_, readOnly: readOnly)
        } catch {
            Console.error("\(error)")
            throw ExitStatus.failed
        }
    }
}
