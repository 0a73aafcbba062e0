import Testing

@testable import FiredrillDrivers

@Suite("CommandRunner output cap")
struct CommandRunnerCappedOutputTests {
    @Test func keepsEverythingUpToTheLimit() {
        var capture = CappedOutput(limit: 10)
        capture.append(Array("12345".utf8))
        capture.append(Array("67890".utf8))
        #expect(capture.render() == "1234567890")
        #expect(capture.elidedBytes == 0)
    }

    @Test func keepsHeadAndTailAcrossManyChunks() {
        var capture = CappedOutput(limit: 6)
        for character in "abcdefghijklmnop" { capture.append(Array(String(character).utf8)) }
        #expect(capture.totalBytes == 16)
        #expect(capture.render() == "abc\n[… 10 bytes elided …]\nnop")
    }

    @Test func zeroLimitKeepsOnlyTheMarker() {
        var capture = CappedOutput(limit: 0)
        capture.append(Array("abc".utf8))
        #expect(capture.render() == "\n[… 3 bytes elided …]\n")
    }
}
