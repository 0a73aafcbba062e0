import FiredrillDrivers
import FiredrillTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real process tree: a python3 root (own session) with a `sleep` child and a python3 child that has a `sleep`
/// child of its own. Every process carries `tag` in its command line. The caller kills `all` at the end.
struct ProcessTreeFixture {
    let root: LaunchedProcess
    let tag: String

    /// Returns once the whole tree has exec'd: the inner python writes a marker file after its own child's `Popen`
    /// returned (Popen returns after the exec), and the root's two `Popen` calls returned before that. Counting
    /// processes alone is not enough: a forked copy not yet exec'd carries its parent's command line for a moment.
    static func start() async throws -> ProcessTreeFixture {
        let tag = "60.\(Int.random(in: 100_000...999_999))"
        let ready = FileManager.default.temporaryDirectory.appendingPathComponent("firedrill-tree-\(tag).ready").path
        defer { unlink(ready) }
        let inner = "import subprocess,time; subprocess.Popen(['sleep','\(tag)']); open('\(ready)','w').close(); time.sleep(60)"
        let outer = "import subprocess,sys,time; subprocess.Popen(['sleep','\(tag)']); subprocess.Popen([sys.executable,'-c',\"\(inner)\",'\(tag)']); time.sleep(60)"
        let root = try await ProcessLauncher().launch(ProcessLaunchSpec(arguments: ["python3", "-c", outer, tag]))
        let fixture = ProcessTreeFixture(root: root, tag: tag)
        // Bounded wait for the marker, then for the four processes to read as exec'd.
        _ = await eventually(timeout: .seconds(30)) { FileManager.default.fileExists(atPath: ready) }
        _ = await eventually(timeout: .seconds(10)) { fixture.all().count == 4 }
        return fixture
    }

    /// Every live process whose command line carries the tag.
    func all() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }.filter { pid in
            guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
                  String(decoding: data, as: UTF8.self).contains(tag) else { return false }
            return ProcessController().isRunning(pid)
        }
    }

    func killAll() { for pid in all() { kill(pid, SIGKILL) } }
}

/// A cgroup to put processes in: a real cgroup v2 directory when one is writable here, else a plain directory with a
/// `cgroup.procs` file the test writes itself (so the resolver and reader still run over the same layout).
struct TestCgroup {
    let parent: String
    let directory: String
    let unitName: String
    let isReal: Bool

    static func make() throws -> TestCgroup {
        let id = "firedrill-test-\(Int.random(in: 100_000...999_999))"
        let unit = id + "-demo"
        for root in ["/sys/fs/cgroup/unified", "/sys/fs/cgroup"]
        where FileManager.default.fileExists(atPath: root + "/cgroup.controllers") {
            let parent = root + "/" + id
            if mkdir(parent, 0o755) == 0 {
                let directory = parent + "/" + unit + ".service"
                if mkdir(directory, 0o755) == 0 { return TestCgroup(parent: parent, directory: directory, unitName: unit, isReal: true) }
                rmdir(parent)
            }
        }
        let parent = try TempDirectory.make(prefix: id)
        let directory = parent + "/" + unit + ".service"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: directory + "/cgroup.procs", contents: Data())
        return TestCgroup(parent: parent, directory: directory, unitName: unit, isReal: false)
    }

    /// Moves `pid` into the cgroup (the kernel moves it; in the fixture directory the pid is appended).
    func add(_ pid: Int32) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/cgroup.procs"))
        defer { try? handle.close() }
        if !isReal { try handle.seekToEnd() }
        try handle.write(contentsOf: Data("\(pid)\n".utf8))
    }

    /// Removes the directories (a real cgroup only once its processes have ended; bounded wait).
    func remove() async {
        if isReal {
            _ = await eventually(timeout: .seconds(10)) { rmdir(directory) == 0 || errno == ENOENT }
            rmdir(parent)
        } else {
            try? FileManager.default.removeItem(atPath: parent)
        }
    }
}
