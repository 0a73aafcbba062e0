import Testing

@testable import FiredrillDrivers

@Suite("CommandRunner secret masking")
struct CommandRunnerSecretMaskerTests {
    @Test func masksEveryOccurrenceLongestFirst() {
        let masker = SecretMasker(["abc", "abcdef", ""])
        #expect(masker.mask("x abcdef y abc z abcab") == "x *** y *** z ***ab")
        #expect(SecretMasker([]).mask("abc") == "abc")
    }

    @Test func streamMasksSecretsSplitAcrossChunks() {
        let masker = SecretMasker(["topsecret"])
        var stream = SecretMasker.Stream(masker: masker)
        var output: [UInt8] = []
        for chunk in ["a top", "sec", "ret b tops", "ecr", "et", " top"] {
            output += stream.feed(Array(chunk.utf8))
        }
        output += stream.finish()
        #expect(String(decoding: output, as: UTF8.self) == "a *** b *** top")
    }

    @Test func streamReleasesBytesThatCannotStartASecret() {
        var stream = SecretMasker.Stream(masker: SecretMasker(["zz9"]))
        #expect(stream.feed(Array("hello z".utf8)) == Array("hello ".utf8))
        #expect(stream.feed(Array("a".utf8)) == Array("za".utf8))
        #expect(stream.finish().isEmpty)
    }
}
