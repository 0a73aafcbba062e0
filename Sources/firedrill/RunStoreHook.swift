import FiredrillCore
import FiredrillStore
import Foundation

/// What `firedrill run` does with the history store: opened (and the plan locked across runners) before anything
/// is injected, consulted for runs other machines left owing, the run recorded at start and again at end. A store
/// lost at the end loses nothing: the run directory stays the source of truth and `history import` backfills it.
struct RunStoreHook {
    let store: any RunStore
    let location: String

    /// Opens the store; unreachable → the run is refused before anything is injected.
    static func open(_ options: StoreOptions, reportsRoot: String) async throws -> RunStoreHook {
        let location = options.resolved(reportsRoot: reportsRoot)
        do {
            return RunStoreHook(store: try await StoreLocation.open(location), location: location)
        } catch {
            Console.error("\(error)")
            Console.error("refusing to start: nothing was injected. Fix the store, point --store elsewhere, or pass --no-store to run without recording the run")
            throw ExitStatus.failed
        }
    }

    /// Takes the plan lock across runners (a PostgreSQL store); refused (exit 3) when another runner holds it.
    func lockPlan(_ plan: String) async throws {
        let result: PlanLockResult
        do {
            result = try await store.lockPlan(plan, holder: LockHolder(runBy: RunSession.initiator()))
        } catch {
            Console.error("cannot lock \(plan) in the store \(store.description): \(error); refusing to start: nothing was injected")
            throw ExitStatus.failed
        }
        if case .held(let holder) = result {
            Console.error("\(plan) is being run by \(holder.map(\.description) ?? "another runner") (lock held in the store \(store.description)); refusing to start a second run (pass --concurrent to allow it)")
            throw ExitStatus.failed
        }
    }

    /// Takes the lock across runners on each of `targets` (what the plan's acting steps name, `PlanTargets`), held with the
    /// plan lock for the run's life; refused (exit 3) when another runner, of any plan, holds one of them.
    func lockTargets(_ targets: [PlanTarget], plan: String) async throws {
        guard !targets.isEmpty else { return }
        let result: TargetLockResult
        do {
            result = try await store.lockTargets(targets, plan: plan, holder: LockHolder(runBy: RunSession.initiator()))
        } catch {
            Console.error("cannot lock the targets of \(plan) in the store \(store.description): \(error); refusing to start: nothing was injected")
            throw ExitStatus.failed
        }
        if case .held(let target, let holder) = result {
            let who = holder.map { ($0.plan.map { "a run of \($0) by " } ?? "") + $0.description } ?? "another runner"
            Console.error("\(target.text) is being acted on by \(who) (lock held in the store \(store.description)); refusing to start \(plan): nothing was injected (pass --concurrent to allow it)")
            throw ExitStatus.failed
        }
    }

    /// Runs of `plan` the store knows as unfinished or owing undos, left by runners whose run directory is not
    /// here (another machine, or a pod that is gone). A run directory that is here is judged by its journal instead.
    func runsOwedElsewhere(_ plan: String) async throws -> [RunRecord] {
        let records: [RunRecord]
        do {
            records = try await store.unfinishedRuns(plan: plan)
        } catch {
            Console.error("cannot read the store \(store.description): \(error); refusing to start: nothing was injected")
            throw ExitStatus.failed
        }
        var owed: [RunRecord] = []
        for record in records {
            if FileManager.default.fileExists(atPath: record.runDirectory + "/" + RunManifest.fileName) {
                // Here: bring the store up to date from the directory (the local interlock has judged it).
                if let current = try? RunRecord.read(runDirectory: record.runDirectory), current != record {
                    try? await store.save(current)
                }
                continue
            }
            owed.append(record)
        }
        return owed
    }

    /// Records the start; a store that fails here stops the run before anything is injected.
    func recordStart(runDirectory: String, environment: String) async throws {
        do {
            try await store.save(try RunRecord.started(runDirectory: runDirectory, environment: environment))
        } catch {
            Console.error("cannot record the run in the store \(store.description): \(error); refusing to start: nothing was injected")
            throw ExitStatus.failed
        }
    }

    /// Records the end from the run directory (the caller closes the store). Never fails the run: a store lost now
    /// is reported with the way to backfill it.
    func recordEnd(runDirectory: String) async {
        do {
            try await store.save(try RunRecord.read(runDirectory: runDirectory))
        } catch {
            Console.error("the run is complete in \(runDirectory), but the store \(store.description) could not record its end: \(error). Backfill it later with `firedrill history import \(runDirectory) --store '\(store.description)'` (with the password for a PostgreSQL store)")
        }
    }
}
