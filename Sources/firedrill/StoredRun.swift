import FiredrillStore
import Foundation

/// `recover --from-store`: where a run's journal is, from the history store, and the store brought up to date after.
enum StoredRun {
    /// The run directory of run `idOrPlan`, or of the latest unfinished run of the plan of that name. Exit 3 when
    /// the store does not know it, or when its directory is not on this machine.
    static func directory(of idOrPlan: String, options: StoreOptions, reportsRoot: String) async throws -> String {
        let store = try await options.open(reportsRoot: reportsRoot, readOnly: true)
        defer { Task { await store.close() } }
        let record: RunRecord?
        do {
            if let byId = try await store.run(id: idOrPlan) {
                record = byId
            } else {
                record = try await store.unfinishedRuns(plan: idOrPlan).last
            }
        } catch {
            Console.error("cannot read the store \(store.description): \(error)")
            throw ExitStatus.failed
        }
        guard let record else {
            Console.error("the store \(store.description) knows no run with id \(idOrPlan) and no unfinished run of a plan of that name")
            throw ExitStatus.failed
        }
        guard FileManager.default.fileExists(atPath: record.runDirectory) else {
            Console.error("run \(record.id) of \(record.plan) ran in \(record.runDirectory) as \(record.runBy), which is not on this machine: run `firedrill recover` where it ran")
            throw ExitStatus.failed
        }
        print("run \(record.id) of \(record.plan), started \(record.startedAt) by \(record.runBy): \(record.runDirectory)")
        return record.runDirectory
    }

    /// Records the run as its journal now tells it. A failure is reported, never fatal: the journal is the truth.
    static func update(_ runDirectory: String, options: StoreOptions, reportsRoot: String) async {
        do {
            let store = try await StoreLocation.open(options.resolved(reportsRoot: reportsRoot))
            try await store.save(try RunRecord.read(runDirectory: runDirectory))
            await store.close()
        } catch {
            Console.error("recovered, but the store could not be updated: \(error); `firedrill history import \(runDirectory)` does it later")
        }
    }
}
