import Foundation
import Testing
@testable import FiredrillStore

/// The RFC 3339 times a store keeps read back to the instant they were written from.
struct RunRecordTimeTests {
    @Test func timesRoundTripAcrossLeapYearsCenturiesAndMonthEnds() {
        var instants: [Double] = [0, 951_782_400, 951_868_799.999999, 1_709_164_800, 4_107_542_399.5, 1_793_502_000.123456]
        // Every 37 hours and 13 minutes from 1970 to about 2100 (bounded: 31 000 steps).
        var t = 0.0
        for _ in 0..<31_000 {
            instants.append(t)
            t += 37 * 3600 + 13 * 60 + 0.25
        }
        for instant in instants {
            let text = RunRecord.rfc3339(Date(timeIntervalSince1970: instant))
            let back = RunRecord.epoch(text)
            #expect(back.map { abs($0 - instant) < 1e-5 } == true, "\(text)")
        }
        #expect(RunRecord.epoch("2026-13-01T00:00:00Z") == nil)
        #expect(RunRecord.epoch("2026-11-01T25:00:00Z") == nil)
        #expect(RunRecord.epoch("2026-11-01 03:00:00") == nil)
        #expect(RunRecord.epoch("2026-11-01T03:00:00Z") == 1_793_502_000)
    }
}
