import Testing

@testable import FiredrillDrivers

#if canImport(Glibc)
import Glibc
#endif

@Suite("Process signals")
struct ProcessSignalsTests {
    @Test(arguments: [
        ("KILL", SIGKILL), ("SIGTERM", SIGTERM), ("9", 9), ("stop", SIGSTOP), (" usr1 ", SIGUSR1), ("SigCont", SIGCONT),
    ])
    func parsesNamesAndNumbers(text: String, expected: Int32) throws {
        #expect(try Signals.parse(text) == expected)
    }

    @Test(arguments: ["FOO", "SIG", "0", "65", "-9", ""])
    func rejectsUnknownSignalsListingTheAcceptedNames(text: String) {
        let error = #expect(throws: ProcessError.self) { try Signals.parse(text) }
        #expect(error?.description.contains("KILL, USR1") == true)
        #expect(error?.description.contains("\"\(text)\"") == true)
    }

    @Test func namesNumbers() {
        #expect(Signals.name(of: SIGKILL) == "SIGKILL")
        #expect(Signals.name(of: 40) == "signal 40")
    }
}
