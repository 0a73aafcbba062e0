import ArgumentParser

/// Parses repeated `--var name=value` options.
enum VarOption {
    static func parse(_ values: [String]) throws -> [String: String] {
        var result: [String: String] = [:]
        for value in values {
            guard let eq = value.firstIndex(of: "="), eq != value.startIndex else {
                throw ValidationError("--var takes name=value, but got `\(value)`")
            }
            result[String(value[..<eq])] = String(value[value.index(after: eq)...])
        }
        return result
    }
}
