/// Carries out owed undos: at the end of a run, and in `firedrill recover` for a runner that died.
public struct UndoExecutor: Sendable {
    public let drivers: any DriverSet
    public let recorder: RunRecorder
    public let control: RunControl?

    public init(drivers: any DriverSet, recorder: RunRecorder, control: RunControl?) {
        self.drivers = drivers
        self.recorder = recorder
        self.control = control
    }

    /// Undoes each entry; returns how many failed. A failure does not stop the others.
    public func undo(_ entries: [UndoLedger.Entry], ledger: UndoLedger) async -> Int {
        var failed = 0
        for entry in entries {
            let label = "undo #\(entry.token.id) \(entry.action.key)"
            await control?.started(label)
            await recorder.note(.undoStarted, step: entry.step, ["id": .number(Double(entry.token.id)), "description": .string(entry.action.description)])
            do {
                guard let driver = drivers.undo(entry.action.key) else {
                    throw DriverError(entry.action.key, "no undo driver for `\(entry.action.key)` in this build")
                }
                let context = DriverContext(name: entry.step, timeout: .seconds(120),
                                            progress: { line in recorder.progress(step: entry.step, line) })
                let how = try await withTimeout(.seconds(120), what: label) {
                    try await driver.undo(entry.action.params, context: context)
                }
                await ledger.markDone(entry.token)
                await recorder.note(.undoDone, step: entry.step, ["id": .number(Double(entry.token.id)), "how": .string(how)])
            } catch {
                failed += 1
                await recorder.note(.undoFailed, step: entry.step, ["id": .number(Double(entry.token.id)), "error": .string(String(describing: error))])
            }
            await control?.finished(label)
        }
        return failed
    }
}
