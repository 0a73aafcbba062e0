import Foundation

/// Finds plan files: the files given, and every `.yaml`/`.yml` below the directories given, in a stable order. A
/// configuration file found in a directory (`firedrill.yaml` beside the plans) is not a plan and is left out.
public enum PlanFiles {
    /// The paths to search: those given, else `experiments` and `drills` where they exist, else the current folder.
    public static func roots(_ paths: [String]) -> [String] {
        guard paths.isEmpty else { return paths }
        let found = ["experiments", "drills"].filter { FileManager.default.fileExists(atPath: $0) }
        return found.isEmpty ? ["."] : found
    }

    public static func expand(_ paths: [String]) -> (files: [String], missing: [String]) {
        var files: [String] = []
        var missing: [String] = []
        let fm = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                missing.append(path)
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            var found: [String] = []
            if let walker = fm.enumerator(atPath: base) {
                for case let relative as String in walker where relative.hasSuffix(".yaml") || relative.hasSuffix(".yml") {
                    if relative.split(separator: "/").contains(where: { $0.hasPrefix(".") }) { continue }
                    if (relative as NSString).lastPathComponent == RunConfig.fileName { continue }
                    found.append(base + "/" + relative)
                }
            }
            files += found.sorted()
        }
        return (files, missing)
    }
}
