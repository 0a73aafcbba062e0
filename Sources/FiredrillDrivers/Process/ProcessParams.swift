import FiredrillCore

/// The target parameters every `process.*` fault shares, declared once.
enum ProcessParams {
    /// One process per pick: what `process.restart` takes (it starts each picked argv again).
    static let single: [ParamSpec] = [
        ParamSpec("pid", .integer(min: 2, max: nil), "a process id"),
        ParamSpec("pidfile", .string, "a file whose first line is the process id (postmaster.pid works)"),
        ParamSpec("match", .regex, "a regular expression over /proc/<pid>/cmdline (arguments joined by spaces)"),
    ]

    static let singleRules: [ParamRule] = [.exactlyOne(["pid", "pidfile", "match"])] + DriverCatalog.selectionRules

    /// What the signalling faults take: one process, or a whole unit or cgroup.
    static let target: [ParamSpec] = single + [
        ParamSpec("unit", .string, "a systemd unit (`nginx` means `nginx.service`): every process in its cgroup and the cgroups below; the unit counts as one target"),
        ParamSpec("cgroup", .string, "a cgroup directory, absolute or relative to /sys/fs/cgroup: every process in its cgroup.procs and below; counts as one target"),
    ]

    /// `tree`, for the faults that signal processes (not `process.restart`, which starts one argv again).
    static let tree = ParamSpec(
        "tree", .boolean, default: "false",
        "also every descendant of each picked process (through /proc parent links), snapshot once; parents are signalled before children")

    static let rules: [ParamRule] = [.exactlyOne(["pid", "pidfile", "match", "unit", "cgroup"])] + DriverCatalog.selectionRules
}
