import FiredrillCore

/// The target parameters every `process.*` fault shares, declared once.
enum ProcessParams {
    static let target: [ParamSpec] = [
        ParamSpec("pid", .integer(min: 2, max: nil), "a process id"),
        ParamSpec("pidfile", .string, "a file whose first line is the process id (postmaster.pid works)"),
        ParamSpec("match", .regex, "a regular expression over /proc/<pid>/cmdline (arguments joined by spaces)"),
    ]

    static let rules: [ParamRule] = [.exactlyOne(["pid", "pidfile", "match"])] + DriverCatalog.selectionRules
}
