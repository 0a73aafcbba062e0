import Testing

@testable import FiredrillDrivers

@Suite("CommandRunner display")
struct CommandRunnerDisplayTests {
    @Test func quotesOnlyWhatNeedsQuoting() {
        #expect(CommandLineDisplay.render(["kubectl", "get", "pods", "-n", "my ns", "it's", ""]) ==
            #"kubectl get pods -n 'my ns' 'it'\''s' ''"#)
    }

    @Test func durationsReadShort() {
        #expect(Duration.milliseconds(250).commandDisplay == "250ms")
        #expect(Duration.seconds(2).commandDisplay == "2s")
        #expect(Duration.milliseconds(1500).commandDisplay == "1.5s")
        #expect(Duration.seconds(200).commandDisplay == "3m20s")
        #expect(Duration.seconds(120).commandDisplay == "2m")
    }
}
