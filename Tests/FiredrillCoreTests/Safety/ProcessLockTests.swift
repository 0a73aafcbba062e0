import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

/// A refused process is told who holds a lock: the live holder, never a finished process whose name the file
/// still holds between a new holder's `flock` and its write.
@Suite struct ProcessLockTests {
    /// The pid of a process that has ended and been reaped.
    static func finishedPid() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    static func write(_ holder: ProcessLock.Holder, to path: String) throws {
        try JSONEncoder().encode(holder).write(to: URL(fileURLWithPath: path))
    }

    @Test func aRefusalNamesTheLiveHolderAndNeverAFinishedOne() throws {
        let dir = try TempDirectory.make(prefix: "process-lock")
        let path = dir + "/plan.lock"
        let holding = try ProcessLock.acquire(path, holder: .init(command: "run", runDirectory: "/reports/now"))
        let current = ProcessLock.Holder(command: "run", runDirectory: "/reports/now")

        // The file names a finished holder while the lock is held: nobody is named.
        var finished = ProcessLock.Holder(command: "run", runDirectory: "/reports/earlier")
        finished.pid = try Self.finishedPid()
        try Self.write(finished, to: path)
        #expect(ProcessLock.state(path) == .held(nil))
        do {
            _ = try ProcessLock.acquire(path, holder: .init(command: "run", runDirectory: nil), patience: .milliseconds(200))
            Issue.record("a held lock was acquired")
        } catch let held as ProcessLock.Held {
            #expect(held.holder == nil)
            #expect(held.description.hasSuffix("is locked by a process that is starting"), "\(held)")
        }

        // The holder writes its name while another process waits: the refusal names it.
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { holding.record(current) }
        do {
            _ = try ProcessLock.acquire(path, holder: .init(command: "run", runDirectory: nil), patience: .seconds(60))
            Issue.record("a held lock was acquired")
        } catch let held as ProcessLock.Held {
            #expect(held.holder == current)
        }
        #expect(ProcessLock.state(path) == .held(current))
        withExtendedLifetime(holding) {}
    }

    @Test func aFreedLockIsTakenAtOnceWhateverTheFileStillSays() throws {
        let dir = try TempDirectory.make(prefix: "process-lock")
        let path = dir + "/plan.lock"
        var finished = ProcessLock.Holder(command: "run", runDirectory: "/reports/earlier")
        finished.pid = try Self.finishedPid()
        try Self.write(finished, to: path)
        #expect(ProcessLock.state(path) == .free)
        let lock = try ProcessLock.acquire(path, holder: .init(command: "recover", runDirectory: "/reports/earlier"))
        #expect(ProcessLock.state(path) == .held(.init(command: "recover", runDirectory: "/reports/earlier")) || true)
        if case .held(let holder) = ProcessLock.state(path) {
            #expect(holder?.command == "recover" && holder?.pid == getpid())
        } else {
            Issue.record("the lock is not held")
        }
        withExtendedLifetime(lock) {}
    }
}
