import FiredrillCore
@testable import FiredrillDrivers
import Testing

/// The heartbeat RPO's arithmetic on marker sets: which acknowledged markers survived decides the loss window.
@Suite struct RPOLossWindowTests {
    /// Markers 1…n, 100ms apart, from t = 1000s.
    static func markers(_ n: Int) -> [HeartbeatStats.Marker] {
        (1...n).map { HeartbeatStats.Marker(seq: $0, at: 1000 + Double($0 - 1) * 0.1) }
    }

    @Test func nothingLostIsZero() {
        let window = RPOMeterDriver.lossWindow(acknowledged: Self.markers(10), surviving: Set(1...10))
        #expect(window.seconds == 0)
        #expect(window.lost == 0)
        #expect(window.newestLost == nil)
    }

    @Test func aLostSuffixIsNewestAcknowledgedMinusNewestSurviving() {
        let window = RPOMeterDriver.lossWindow(acknowledged: Self.markers(20), surviving: Set(1...5))
        #expect(abs(window.seconds - 1.5) < 1e-9)
        #expect(window.lost == 15)
        #expect(window.newestLost?.seq == 20)
        #expect(window.before?.seq == 5)
    }

    /// A heartbeat that follows the primary: the markers written after recovery survive, the gap before them does not.
    @Test func survivorsAfterTheLossDoNotHideIt() {
        let window = RPOMeterDriver.lossWindow(acknowledged: Self.markers(30), surviving: Set(1...5).union(21...30))
        #expect(abs(window.seconds - 1.5) < 1e-9)
        #expect(window.lost == 15)
        #expect(window.newestLost?.seq == 20)
        #expect(window.before?.seq == 5)
    }

    @Test func noSurvivorIsALowerBoundFromTheFirstMarker() {
        let window = RPOMeterDriver.lossWindow(acknowledged: Self.markers(8), surviving: [])
        #expect(abs(window.seconds - 0.7) < 1e-9)
        #expect(window.lost == 8)
        #expect(window.before == nil)
    }

    @Test func theLargestOfSeveralGapsCounts() {
        // 3–4 lost (0.2s after #2), 8–12 lost (0.6s after #7).
        let surviving = Set([1, 2, 5, 6, 7, 13, 14])
        let window = RPOMeterDriver.lossWindow(acknowledged: Self.markers(14), surviving: surviving)
        #expect(abs(window.seconds - 0.5) < 1e-9)
        #expect(window.lost == 7)
        #expect(window.before?.seq == 7)
    }
}
