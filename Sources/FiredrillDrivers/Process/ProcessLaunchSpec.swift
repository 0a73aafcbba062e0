/// Everything needed to start a process that is not waited for: see ``ProcessLauncher``.
public struct ProcessLaunchSpec: Sendable, Hashable {
    /// The argv, `argv[0]` included, exactly as the new process will see it.
    public var arguments: [String]
    /// The file to execute. `nil` resolves `argv[0]`: a path is used as is (relative to
    /// ``workingDirectory``), a name is searched on the `PATH` of ``environment``.
    public var executablePath: String?
    /// The complete environment; `nil` inherits Firedrill's own.
    public var environment: [String: String]?
    /// The directory to start in; `nil` keeps Firedrill's current directory.
    public var workingDirectory: String?
    /// A file that receives standard output and standard error (appended, created if needed);
    /// `nil` sends both to /dev/null. Standard input is always /dev/null.
    public var outputPath: String?

    public init(
        arguments: [String], executablePath: String? = nil, environment: [String: String]? = nil,
        workingDirectory: String? = nil, outputPath: String? = nil
    ) {
        self.arguments = arguments
        self.executablePath = executablePath
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.outputPath = outputPath
    }
}
