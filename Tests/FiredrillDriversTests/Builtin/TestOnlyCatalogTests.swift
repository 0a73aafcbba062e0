import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

/// A driver declared in one file, handed to the loader in a catalog of its own: the plan validates against that
/// catalog alone and runs.
@Suite("A plan with a test-only driver and a test-only catalog")
struct TestOnlyCatalogTests {
    static let catalog = DriverCatalog(DriverCatalog.control + [HTTPFloodOnceDriver.spec])

    static func plan(_ method: String) -> String {
        """
        apiVersion: firedrill/v1
        kind: Experiment
        name: flood-once
        title: A burst of requests, once
        environment: test
        method:
        \(method)
        """
    }

    @Test func aPlanNamingTheDriverLoadsAndRunsThroughTheTestCatalog() async throws {
        let server = try LoopbackHTTPServer()
        defer { server.stop() }
        let result = PlanLoader.load(data: Data(Self.plan("  - http.flood-once: { url: \"\(server.baseURL)/health\", requests: 3 }").utf8),
                                     path: "flood-once.yaml", catalog: Self.catalog)
        let plan = try #require(result.plan, "\(result.rendered())")
        let summary = try await PlanFixture.run(plan, drivers: TestDrivers(steps: ["http.flood-once": HTTPFloodOnceDriver()]))
        #expect(summary.ending == .passed, "\(summary.reason)")
        #expect(server.requestsServed == 3)
    }

    @Test func theTestCatalogKnowsOnlyItsOwnDrivers() {
        let result = PlanLoader.load(data: Data(Self.plan("  - kubernetes.scale: { deployment: api, replicas: 0 }").utf8),
                                     path: "flood-once.yaml", catalog: Self.catalog)
        #expect(result.plan == nil)
        #expect(result.errors.contains { $0.message.contains("unknown driver or key `kubernetes.scale`") })
    }

    @Test func theDriversDeclarationValidatesItsParameters() {
        let result = PlanLoader.load(data: Data(Self.plan("  - http.flood-once: { url: \"http://127.0.0.1:1/\", requests: 0 }").utf8),
                                     path: "flood-once.yaml", catalog: Self.catalog)
        #expect(result.plan == nil)
        #expect(result.errors.contains { $0.message.contains("requests") })
    }
}
