import Testing
@testable import FiredrillCore

@Suite("ByteSize")
struct ByteSizeTests {
    static let hint = "write it with a unit: 512MiB, 1GiB, 100B (units: B, KiB, MiB, GiB, TiB, kB, MB, GB, TB)"

    @Test(arguments: [
        ("512MiB", Int64(536_870_912)), ("1GiB", 1_073_741_824), ("10KiB", 10_240), ("100B", 100),
        ("1GB", 1_000_000_000), ("1MB", 1_000_000), ("1kB", 1000), ("1KB", 1000), ("1.5KiB", 1536),
        ("2TiB", 2_199_023_255_552), ("0B", 0), ("0.5kB", 500),
    ])
    func parsesSizes(text: String, bytes: Int64) throws {
        #expect(try ByteSize.parse(text).bytes == bytes)
    }

    @Test(arguments: [
        ("512", "a byte size needs a unit"),
        ("0.5B", "a byte size must be a whole number of bytes: 0.5B"),
        ("5mb", "unknown size unit \"mb\" in \"5mb\""),
        ("5Mi", "unknown size unit \"Mi\" in \"5Mi\""),
        ("-1MiB", "a byte size cannot be negative: -1MiB"),
        ("5 MiB", "a byte size is written without spaces: \"5 MiB\""),
        ("MiB", "not a byte size: \"MiB\""),
        ("", "a byte size cannot be empty"),
    ])
    func rejectsBadSizes(text: String, message: String) throws {
        let error = try #require(valueError { () throws(ValueError) in try ByteSize.parse(text) })
        #expect(error.message == message)
        #expect(error.hint == Self.hint)
    }

    @Test func rejectsSizesBeyondInt64() throws {
        let error = try #require(valueError { () throws(ValueError) in try ByteSize.parse("10000PiB") })
        #expect(error.message == "byte size is too large: 10000PiB")
    }

    @Test(arguments: [
        (Int64(1_048_576), "1MiB"), (1000, "1kB"), (1536, "1.5KiB"), (100, "100B"), (123_456_789, "117.74MiB"),
        (1_000_000, "1MB"), (2048, "2KiB"), (1_073_741_824, "1GiB"), (0, "0B"), (536_870_912, "512MiB"),
    ])
    func describesShortest(bytes: Int64, text: String) {
        #expect(ByteSize(bytes: bytes).description == text)
    }

    @Test func neverTrapsOnOddInput() {
        for text in oddStrings + randomValueStrings(count: 2000, seed: 4) {
            if let size = try? ByteSize.parse(text) { #expect(size.bytes >= 0) }
        }
        #expect(ByteSize(bytes: .min).description.hasPrefix("-"))
    }
}
