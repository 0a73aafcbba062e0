import ArgumentParser
import FiredrillCore
import FiredrillDrivers

/// `firedrill schema` — the JSON Schema of the plan format, generated from the driver catalog.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the JSON Schema of the plan format (for editor completion).",
        discussion: """
        Save it and point yaml-language-server at it from the first line of a plan:
          # yaml-language-server: $schema=./firedrill.schema.json
        """
    )

    func run() {
        print(JSONOutput.pretty(JSONSchemaGenerator.schema(BuiltinDrivers.catalog)))
    }
}
