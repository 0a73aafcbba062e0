/// What a running driver may use: its timeout, the run's limits and secrets to mask, and the journal hooks.
public struct DriverContext: Sendable {
    /// The step or probe name, as the journal records it.
    public var name: String
    /// What the execution is for: `step`, `steady-state`, `guard`, `recovered`, `verify`. A probe that keeps
    /// state between executions (a traffic stream watched as a guard) reads it.
    public var role: String
    public var timeout: Duration
    public var maxTargets: Int
    /// Secret values that must never appear in output.
    public var secrets: [String]
    /// Journals an undo intent and fsyncs it; returns once it is on disk. Call it before the effect.
    public var willApply: @Sendable (UndoAction) async throws -> UndoToken
    /// Marks an undo as carried out by the fault itself (a pause that ended on time).
    public var didUndo: @Sendable (UndoToken, String) async throws -> Void
    /// Journals an event on the driver's behalf (targets resolved, connections opened…).
    public var record: @Sendable (_ type: String, _ data: JSONValue) async -> Void
    /// A progress line for people following the run.
    public var progress: @Sendable (String) -> Void
    /// The run's directory (journal, reports), where a driver may keep files of its own; nil outside a run.
    public var runDirectory: String?

    public init(
        name: String, role: String = "step", timeout: Duration, maxTargets: Int = 10, secrets: [String] = [],
        willApply: @escaping @Sendable (UndoAction) async throws -> UndoToken = { _ in UndoToken(id: 0) },
        didUndo: @escaping @Sendable (UndoToken, String) async throws -> Void = { _, _ in },
        record: @escaping @Sendable (String, JSONValue) async -> Void = { _, _ in },
        progress: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.name = name
        self.role = role
        self.timeout = timeout
        self.maxTargets = maxTargets
        self.secrets = secrets
        self.willApply = willApply
        self.didUndo = didUndo
        self.record = record
        self.progress = progress
    }

    /// Journals an event of the vocabulary on the driver's behalf (`targetsResolved`, `floodOpened`).
    public func record(_ type: JournalEventType, _ data: JSONValue) async {
        await record(type.rawValue, data)
    }

    /// Replaces every secret value in `text` with `***`.
    public func mask(_ text: String) -> String {
        var out = text
        for secret in secrets.sorted(by: { $0.count > $1.count }) where !secret.isEmpty {
            out = out.replacingOccurrences(of: secret, with: "***")
        }
        return out
    }
}

/// Identifies one recorded undo in the ledger.
public struct UndoToken: Sendable, Hashable, Codable {
    public var id: Int
    public init(id: Int) { self.id = id }
}

import Foundation
