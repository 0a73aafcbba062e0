import Testing

@testable import FiredrillDrivers

@Suite("RFC 3339 times printed by kubectl, aws and Railway")
struct CloudTimestampTests {
    @Test func readsTheFormsTheCLIsPrint() {
        #expect(CloudCommand.parseTimestamp("1970-01-01T00:00:00Z") == 0)
        #expect(CloudCommand.parseTimestamp("2024-05-01T10:00:00Z") == 1_714_557_600)
        #expect(CloudCommand.parseTimestamp("2024-05-01T10:00:00.500Z") == 1_714_557_600.5)
        #expect(CloudCommand.parseTimestamp("2024-05-01T12:00:00+02:00") == 1_714_557_600)
        #expect(CloudCommand.parseTimestamp("2024-05-01T05:30:00-04:30") == 1_714_557_600)
        #expect(CloudCommand.parseTimestamp("2024-02-29T00:00:00.000000+00:00") == 1_709_164_800)
        #expect(CloudCommand.parseTimestamp("2000-03-01T00:00:00Z") == 951_868_800)
    }

    @Test func refusesWhatIsNotATime() {
        for text in ["", "2024-05-01", "2024-13-01T00:00:00Z", "2024-05-01T10:00:00Q", "2024-05-01T10:00:00.Z",
                     "2024-05-01T10:00:00+0200", "yesterday", "2024-05-01T10:00:00Z trailing"] {
            #expect(CloudCommand.parseTimestamp(text) == nil, "\(text)")
        }
    }
}
