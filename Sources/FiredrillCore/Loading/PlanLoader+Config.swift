import Foundation

extension PlanLoader {
    /// Reads and validates a runner configuration file (`RunConfig`): every problem at its file:line:column.
    public static func loadConfig(path: String) -> RunConfig.Loaded {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            let d = Diagnostic(at: SourceLocation(file: path, line: 1, column: 1),
                               "cannot read the configuration file: \(exists ? "permission denied or a directory" : "no such file")")
            return RunConfig.Loaded(config: nil, text: "", diagnostics: [d])
        }
        let (root, text, yamlDiagnostics) = YAMLReader(path: path).read(data)
        guard let root else { return RunConfig.Loaded(config: nil, text: text, diagnostics: yamlDiagnostics) }
        var loader = PlanLoader(path: path, catalog: DriverCatalog([]))
        let config = loader.buildConfig(root, text: text)
        let sorted = loader.diagnostics.sorted { ($0.location.line, $0.location.column) < ($1.location.line, $1.location.column) }
        let hasErrors = sorted.contains { $0.severity == .error }
        return RunConfig.Loaded(config: hasErrors ? nil : config, text: text, diagnostics: Self.capped(sorted))
    }

    mutating func buildConfig(_ root: PlanNode, text: String) -> RunConfig {
        var config = RunConfig(path: path, text: text)
        guard let entries = root.entries else {
            error(root.location, "a configuration file is a map of keys (\(RunConfig.keys.joined(separator: ", "))), but this is \(root.kindName)")
            return config
        }
        // `protected-environments` is the production gate's, checked by it.
        checkKeys(entries, allowed: RunConfig.keys, context: "the configuration file")
        if let node = root["secrets"] { config.secrets = loadSecrets(node) }
        // Only `${secret.…}` and `${env.…}` mean something here: a configuration file has no vars and no steps.
        checkReferences(root)
        if let node = root["notify"] { config.notify = loadNotify(node) }
        return config
    }
}
