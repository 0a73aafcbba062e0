import FiredrillCore

/// Reads the runner's configuration file for `firedrill run`: an invalid one stops the run before anything is
/// locked or injected, with every problem at its file:line:column.
enum RunConfigFile {
    static func load(_ option: String?, planPath: String) throws -> RunConfig? {
        guard let path = RunConfig.locate(option: option, planPath: planPath) else { return nil }
        let loaded = PlanLoader.loadConfig(path: path)
        if !loaded.diagnostics.isEmpty { StandardStreams.err(loaded.rendered() + "\n") }
        guard let config = loaded.config else {
            Console.error("refusing to start: the configuration file \(path) is not valid; nothing was injected")
            throw ExitStatus.invalid
        }
        return config
    }
}
