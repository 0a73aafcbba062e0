import Foundation

/// `posix_spawn` as every fixture program starts: argv only (never a shell string), in a new process group of its
/// own so the whole group can be killed, with an empty signal mask and default dispositions, standard input from
/// /dev/null and standard output and error going to one file.
///
/// `Foundation.Process` is not used: on Linux it learns that a child ended when every copy of a descriptor it
/// handed the child is closed, so a daemon the child leaves behind (the postmaster of `pg_ctl start`) would keep
/// it waiting, and it cannot set the process group before the program runs.
enum FixtureSpawn {
    /// Starts `argv[0]` (an absolute path); output is appended to `outputPath` or replaces it. Returns the pid, or
    /// the `posix_spawn` error number (the program does not exist, say).
    static func spawn(_ argv: [String], environment: [String: String]?, outputPath: String, append: Bool,
                      currentDirectory: String? = nil) -> Result<pid_t, SpawnError> {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | (append ? O_APPEND : O_TRUNC), 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        if let currentDirectory { addChangeDirectory(&actions, currentDirectory) }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaultSignals = sigset_t()
        sigemptyset(&defaultSignals)
        for signal in [SIGPIPE, SIGCHLD, SIGTERM, SIGINT, SIGQUIT, SIGHUP] { sigaddset(&defaultSignals, signal) }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaultSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var pid: pid_t = 0
        let result = withCStrings(argv) { argvPointers in
            withCStrings(environmentStrings) { environmentPointers in
                posix_spawn(&pid, argv[0], &actions, &attributes, argvPointers, environmentPointers)
            }
        }
        return result == 0 ? .success(pid) : .failure(SpawnError(code: result))
    }

    /// Why `posix_spawn` failed.
    struct SpawnError: Error, CustomStringConvertible {
        var code: Int32
        var description: String { String(cString: strerror(code)) }
    }

    private typealias AddChangeDirectory = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    /// `posix_spawn_file_actions_addchdir_np` (glibc 2.29+), looked up at run time because the Glibc module
    /// does not export it; without it the child keeps this process's working directory.
    private static func addChangeDirectory(_ actions: inout posix_spawn_file_actions_t, _ path: String) {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else { return }
        let function = unsafeBitCast(symbol, to: AddChangeDirectory.self)
        _ = function(&actions, path)
    }

    private static func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        defer { copies.forEach { free($0) } }
        return body(copies)
    }
}
