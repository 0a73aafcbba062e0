import FiredrillCore
import Testing

/// `${steps.NAME.FIELD}` substitutes a step's output as the shell substitutes `$(command)`: without the one
/// trailing newline a command prints after its answer.
@Suite struct StepOutputSubstitutionTests {
    let resolver = Resolver(environment: [:], stepResults: [
        "get-primary": ["stdout": "db-2\n", "stderr": "warning\r\n", "exit-code": 0],
        "blank-lines": ["stdout": "a\n\n"],
        "no-newline": ["stdout": "exact"],
        "lines": ["stdout": "one\ntwo\n"],
    ])

    @Test func oneTrailingNewlineIsDropped() {
        #expect(resolver.substitute("host=${steps.get-primary.stdout} port=5432", maskSecrets: false) == "host=db-2 port=5432")
        #expect(resolver.substitute("[${steps.get-primary.stderr}]", maskSecrets: false) == "[warning]")
    }

    @Test func onlyOneIsDroppedAndInnerNewlinesStay() {
        #expect(resolver.substitute("${steps.blank-lines.stdout}", maskSecrets: false) == "a\n")
        #expect(resolver.substitute("${steps.lines.stdout}", maskSecrets: false) == "one\ntwo")
        #expect(resolver.substitute("${steps.no-newline.stdout}", maskSecrets: false) == "exact")
        #expect(resolver.substitute("${steps.get-primary.exit-code}", maskSecrets: false) == "0")
    }
}
