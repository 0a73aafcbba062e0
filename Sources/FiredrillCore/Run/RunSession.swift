import Crypto
import Foundation

/// Sets up and runs one plan: the run directory with a copy of the plan and `run.json`, the journal, the
/// `run.started` event with everything an auditor needs to identify the run, then the runner for the plan's kind.
public struct RunSession: Sendable {
    public let plan: Plan
    public let overrides: [String: String]
    public let drivers: any DriverSet
    public let observer: (any RunObserver)?
    public let control: RunControl
    /// Who runs it, for the `run.record` event.
    public var runOperator: RunOperator = .current(flag: nil)
    /// Where the record reads tool versions and the plan's git state (injected by the executable); nil: not checked.
    public var recordSources: (any RunRecordSources)?
    /// Signs the journal's checkpoints and seal (`--signing-key`); nil: an unsigned journal, still sealed.
    public var signing: JournalSigning = .unsigned
    /// Runs after the run ended and before the seal (the team told of the ending, deliveries still in flight
    /// drained), so what it journals is inside the sealed record rather than after it.
    public var beforeSeal: (@Sendable (RunSummary) async -> Void)?

    public init(plan: Plan, overrides: [String: String], drivers: any DriverSet, observer: (any RunObserver)?, control: RunControl = RunControl()) {
        self.plan = plan
        self.overrides = overrides
        self.drivers = drivers
        self.observer = observer
        self.control = control
    }

    /// Prepares the run directory and journal; the run itself starts with `run(in:)`.
    ///
    /// The directory's lock (`runner.lock`) is taken before anything else is written to it, and the run is
    /// recorded in the index under `reportsRoot` (when given) wherever its directory is.
    public func prepare(reportsRoot: String?, runDirectory: String?, rollbacks: RollbackPolicy, notes: [String],
                        initiator: String = RunSession.initiator()) throws -> (RunOptions, RunRecorder, Resolver) {
        let resolver: Resolver
        do {
            resolver = try Resolver.forPlan(plan, readSecrets: true)
        } catch {
            throw RunError(error.description)
        }
        let dir: String
        if let runDirectory {
            try FileManager.default.createDirectory(atPath: runDirectory, withIntermediateDirectories: true)
            if FileManager.default.fileExists(atPath: runDirectory + "/" + Journal.fileName) {
                throw RunError("\(runDirectory) already holds a journal; choose another --report-dir")
            }
            dir = runDirectory
        } else {
            dir = try RunDirectory.create(under: reportsRoot ?? "reports", planName: plan.name)
        }
        let lock = try ProcessLock.acquire(dir + "/" + RunDirectory.lockFileName, holder: .init(command: "run", runDirectory: dir))
        if let reportsRoot {
            try RunDirectory.index(dir, planName: plan.name, root: reportsRoot)
        }
        var options = RunOptions(runDirectory: dir, rollbacks: rollbacks, notes: notes, initiator: initiator)
        options.lock = lock
        try Data(plan.text.utf8).write(to: URL(fileURLWithPath: dir + "/" + RunManifest.planCopyName))
        let manifest = RunManifest(
            planName: plan.name, planPath: plan.path, planSHA256: Self.sha256(plan.text), gitCommit: Self.gitCommit(for: plan.path),
            kind: plan.kind, overrides: overrides, rollbacks: rollbacks, initiator: initiator,
            startedAt: JournalClock.rfc3339(microseconds: Int64(Date().timeIntervalSince1970 * 1_000_000)), notes: notes
        )
        try manifest.write(to: dir)
        let journal: Journal
        do {
            journal = try Journal.create(at: URL(fileURLWithPath: dir), signing: signing)
        } catch {
            throw RunError("cannot create the journal in \(dir): \(error)")
        }
        let recorder = RunRecorder(journal: journal, observer: observer, secrets: resolver.secretValues)
        return (options, recorder, resolver)
    }

    public func run(options: RunOptions, recorder: RunRecorder, resolver: Resolver) async throws -> RunSummary {
        let manifest = try RunManifest.read(from: options.runDirectory)
        let record = await AuditRecord.gather(plan: plan, overrides: overrides, runOperator: runOperator, sources: recordSources)
        var started: [String: JSONValue] = [
            "plan": .string(plan.name), "title": .string(plan.title), "kind": .string(plan.kind.rawValue),
            "file": .string(plan.path), "sha256": .string(manifest.planSHA256),
            "git-commit": record.provenance.commit.map { .string($0) } ?? .null,
            "environment": .string(plan.environment), "initiator": .string(options.initiator),
            "participants": .array(plan.participants.map { .string($0) }),
            "vars": .object(Dictionary(uniqueKeysWithValues: resolver.variables.map { ($0.key, JSONValue.string($0.value)) })),
            "rollbacks": .string(options.rollbacks.rawValue), "notes": .array(options.notes.map { .string($0) }),
            "limits": ["duration": .number(plan.limits.duration.seconds), "max-targets": .number(Double(plan.limits.maxTargets))],
        ]
        for (key, value) in plan.gate?.journalFields ?? [:] { started[key] = value }
        try await recorder.record(.runStarted, .object(started))
        try await recorder.record(.runRecord, record.json)
        for check in plan.gate?.bindingChecks ?? [] {
            try await recorder.record(.environmentChecked, check.json)
        }
        let runner = PlanRunner(plan: plan, drivers: drivers, resolver: resolver, options: options, recorder: recorder, control: control)
        var summary = try await runner.run()
        if let beforeSeal { await beforeSeal(summary) }
        await Self.seal(recorder, by: "run")
        // The reason is printed on the console: it gets the journal's masking.
        summary.reason = recorder.mask(summary.reason)
        return summary
    }

    /// Appends the seal after the last event; a failure is reported, and `verify` will call the journal unfinished.
    /// The observer sees the seal like any journaled event (`--json` streams it).
    static func seal(_ recorder: RunRecorder, by writer: String) async {
        do {
            let event = try await recorder.journal.seal(by: writer)
            recorder.observer?.observe(.journaled(event))
        } catch {
            StandardStreams.err("firedrill: the journal could not be sealed (\(error)): verify will report it unfinished\n")
        }
    }

    public static func sha256(_ text: String) -> String {
        JournalHex.sha256(Array(text.utf8))
    }

    /// `user@host` of whoever started the run.
    public static func initiator() -> String {
        let env = ProcessInfo.processInfo.environment
        let user = env["USER"] ?? env["LOGNAME"] ?? getpwuid(geteuid()).map { String(cString: $0.pointee.pw_name) } ?? "uid\(geteuid())"
        return "\(user)@\(ProcessInfo.processInfo.hostName)"
    }

    /// The HEAD commit of the git repository holding the plan file, read from `.git` directly (no shell-out).
    public static func gitCommit(for path: String) -> String? {
        let fm = FileManager.default
        var dir = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        for _ in 0..<64 {
            let git = dir.appendingPathComponent(".git")
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: git.path, isDirectory: &isDirectory), isDirectory.boolValue {
                guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines) else { return nil }
                guard head.hasPrefix("ref: ") else { return head.count == 40 ? head : nil }
                let ref = String(head.dropFirst(5))
                if let loose = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
                    let sha = loose.trimmingCharacters(in: .whitespacesAndNewlines)
                    return sha.count == 40 ? sha : nil
                }
                let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
                for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
                    return String(line.prefix(40))
                }
                return nil
            }
            let parent = dir.deletingLastPathComponent()
            if parent.path == dir.path { return nil }
            dir = parent
        }
        return nil
    }
}
