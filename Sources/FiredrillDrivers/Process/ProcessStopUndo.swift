import FiredrillCore
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Undo of `process.start`: stops every process that carries the start's token in its environment (the daemon
/// and whatever it forked): SIGTERM, then SIGKILL after the journaled grace. Journaled before the spawn, so a
/// runner killed at any moment after it leaves nothing `recover` cannot find.
public struct ProcessStopUndo: DeclaredUndo {
    public static let key = "process.stop"
    /// The environment variable a started daemon carries, `FIREDRILL_START_TOKEN=<token>`.
    static let tokenVariable = "FIREDRILL_START_TOKEN"

    public init() {}

    public func undo(_ params: JSONValue, context: DriverContext) async throws -> String {
        guard let token = params["token"]?.stringValue, !token.isEmpty else { throw DriverError(Self.key, "no start token recorded") }
        let grace = params["grace-seconds"]?.doubleValue.map { Duration.milliseconds(Int($0 * 1000)) } ?? .seconds(5)
        let carriers = Self.processes(carrying: token)
        if carriers.isEmpty { return "the started process had already exited" }
        let pids = carriers.map(String.init).joined(separator: ", ")
        context.progress("stopping pid \(pids): SIGTERM, SIGKILL after \(DurationSyntax.format(grace))")
        for pid in carriers { try? ProcessController().send(SIGTERM, to: pid) }
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while clock.now < deadline, !Self.processes(carrying: token).isEmpty {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let stubborn = Self.processes(carrying: token)
        for pid in stubborn { try? ProcessController().send(SIGKILL, to: pid) }
        for pid in stubborn { _ = try? await ProcessController().waitForExit(pid, timeout: .seconds(5)) }
        let left = Self.processes(carrying: token)
        if !left.isEmpty {
            throw DriverError(Self.key, "pid \(left.map(String.init).joined(separator: ", ")) still running after SIGTERM and SIGKILL")
        }
        return stubborn.isEmpty ? "stopped pid \(pids) with SIGTERM" : "stopped pid \(pids) (SIGKILL to \(stubborn.map(String.init).joined(separator: ", ")) after \(DurationSyntax.format(grace)))"
    }

    /// Live processes whose environment holds `FIREDRILL_START_TOKEN=<token>`.
    static func processes(carrying token: String) -> [Int32] {
        let needle = Data("\(tokenVariable)=\(token)".utf8)
        return ProcStat.allPIDs().filter { pid in
            guard let environ = FileManager.default.contents(atPath: "\(ProcStat.procRoot)/\(pid)/environ"),
                  environ.range(of: needle) != nil else { return false }
            return ProcessController().isRunning(pid)
        }
    }
}
