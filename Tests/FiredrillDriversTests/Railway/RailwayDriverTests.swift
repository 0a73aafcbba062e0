import FiredrillCore
import FiredrillTestSupport
import Foundation
import Testing

@testable import FiredrillDrivers

@Suite("railway restart, redeploy and down with a stand-in railway CLI")
struct RailwayCLIDriverTests {
    @Test func restartPassesServiceEnvironmentProjectYesAndJSON() async throws {
        let railway = try StandInCLI(programs: ["railway"])
        let argv = ["railway", "restart", "--service=api", "--environment=staging", "--project=4f1c2a77-0000-4000-8000-000000000001", "--yes", "--json"]
        try railway.respond(argv, stdout: #"{"id":"d-42","status":"SUCCESS"}"#)
        let outcome = try await RailwayRestartDriver(environment: railway.environment).run(
            try params("{ service: api, environment: staging, project: 4f1c2a77-0000-4000-8000-000000000001 }"), context: CloudTestContext().context)
        #expect(try railway.calls() == [argv])
        #expect(outcome.output["result"]?["status"] == "SUCCESS")
    }

    @Test func redeployTakesTheProjectFromRailwayProjectID() async throws {
        let railway = try StandInCLI(programs: ["railway"])
        var environment = railway.environment
        environment["RAILWAY_PROJECT_ID"] = "proj-from-env"
        let argv = ["railway", "redeploy", "--service=worker", "--project=proj-from-env", "--yes", "--json"]
        try railway.respond(argv, stdout: "Redeploying worker\n")
        let outcome = try await RailwayRedeployDriver(environment: environment).run(try params("{ service: worker }"), context: CloudTestContext().context)
        #expect(try railway.calls() == [argv])
        #expect(outcome.summary == "redeployed worker: Redeploying worker")
    }

    @Test func downHasNoJSONFlagAndAHostileServiceNameIsOneArgument() async throws {
        let railway = try StandInCLI(programs: ["railway"])
        var environment = railway.environment
        environment["RAILWAY_PROJECT_ID"] = ""
        let argv = ["railway", "down", "--service=api; rm -rf /", "--yes"]
        try railway.respond(argv, stdout: "The latest deployment has been removed\n")
        _ = try await RailwayDownDriver(environment: environment).run(try params(#"{ service: "api; rm -rf /" }"#), context: CloudTestContext().context)
        #expect(try railway.calls() == [argv])
    }

    @Test func aFailingCLIShowsItsStderr() async throws {
        let railway = try StandInCLI(programs: ["railway"])
        var environment = railway.environment
        environment["RAILWAY_PROJECT_ID"] = ""
        try railway.respond(["railway", "restart", "--service=api", "--yes", "--json"], stderr: "Unauthorized. Please login with `railway login`\n", exit: 1)
        let error = await #expect(throws: DriverError.self) {
            try await RailwayRestartDriver(environment: environment).run(try params("{ service: api }"), context: CloudTestContext().context)
        }
        #expect(error?.description == "railway.restart: `railway restart --service=api --yes --json` exited with status 1\nstderr:\n  Unauthorized. Please login with `railway login`")
    }
}

@Suite("railway.rollback against a stand-in GraphQL endpoint")
struct RailwayRollbackDriverTests {
    static let serviceID = "11111111-1111-4111-8111-111111111111"
    static let environmentID = "22222222-2222-4222-8222-222222222222"
    static let projectID = "33333333-3333-4333-8333-333333333333"

    static var deployments: [String: Any] { ["data": ["deployments": ["edges": [
        ["node": ["id": "dep-failed-newest", "status": "FAILED", "createdAt": "2024-05-04T10:00:00.000Z", "canRollback": false]],
        ["node": ["id": "dep-older", "status": "REMOVED", "createdAt": "2024-05-01T10:00:00.000Z", "canRollback": true]],
        ["node": ["id": "dep-active", "status": "SUCCESS", "createdAt": "2024-05-03T10:00:00.000Z", "canRollback": false]],
        ["node": ["id": "dep-crashed", "status": "CRASHED", "createdAt": "2024-05-02T12:00:00.000Z", "canRollback": false]],
        ["node": ["id": "dep-previous", "status": "REMOVED", "createdAt": "2024-05-02T10:00:00.000Z", "canRollback": true]],
    ]]]] }

    @Test func findsThePreviousGoodDeploymentByNameAndRollsBackWithTheBearerToken() async throws {
        let api = try RailwayAPIStandIn(answers: [
            "project": ["data": ["project": [
                "services": ["edges": [["node": ["id": Self.serviceID, "name": "api"]], ["node": ["id": "other", "name": "worker"]]]],
                "environments": ["edges": [["node": ["id": Self.environmentID, "name": "staging"]]]],
            ]]],
            "deployments": Self.deployments,
            "deploymentRollback": ["data": ["deploymentRollback": true]],
        ])
        let recorder = CloudTestContext()
        let outcome = try await RailwayRollbackDriver(environment: ["RAILWAY_API_TOKEN": "tok-9f8e7d"]).run(
            try params("{ service: api, environment: staging, project: \(Self.projectID), api-url: \"\(api.url)\" }"), context: recorder.context)

        #expect(outcome.output["deployment"] == "dep-previous")
        #expect(outcome.summary == "rolled api back to deployment dep-previous (was dep-active)")
        let requests = try api.requests()
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0["authorization"] as? String == "Bearer tok-9f8e7d" })
        let bodies = requests.compactMap { $0["body"] as? [String: Any] }
        #expect((bodies[0]["variables"] as? [String: Any])?["id"] as? String == Self.projectID)
        let input = ((bodies[1]["variables"] as? [String: Any])?["input"] as? [String: Any]) ?? [:]
        #expect(input["serviceId"] as? String == Self.serviceID)
        #expect(input["environmentId"] as? String == Self.environmentID)
        #expect(input["projectId"] as? String == Self.projectID)
        #expect((bodies[2]["query"] as? String)?.contains("deploymentRollback(id: $id)") == true)
        #expect((bodies[2]["variables"] as? [String: Any])?["id"] as? String == "dep-previous")
        let resolved = try #require(await recorder.records("targets.resolved").first)
        #expect(!resolved.canonicalJSON().contains("tok-9f8e7d"))
        #expect(!outcome.output.canonicalJSON().contains("tok-9f8e7d"))
    }

    @Test func anExplicitDeploymentIsRolledBackToDirectly() async throws {
        let api = try RailwayAPIStandIn(answers: ["deploymentRollback": ["data": ["deploymentRollback": true]]])
        _ = try await RailwayRollbackDriver(environment: ["MY_TOKEN": "tok-1"]).run(
            try params("{ service: api, deployment: dep-7, token-env: MY_TOKEN, api-url: \"\(api.url)\" }"), context: CloudTestContext().context)
        let requests = try api.requests()
        #expect(requests.count == 1)
        #expect(((requests[0]["body"] as? [String: Any])?["variables"] as? [String: Any])?["id"] as? String == "dep-7")
    }

    @Test func aGraphQLErrorIsShownWithTheTokenMasked() async throws {
        let api = try RailwayAPIStandIn(answers: [
            "deployments": ["errors": [["message": "Not Authorized: $TOKEN is not valid for this project"]], "data": NSNull()],
        ])
        let error = await #expect(throws: DriverError.self) {
            try await RailwayRollbackDriver(environment: ["RAILWAY_API_TOKEN": "tok-secret-55"]).run(
                try params("{ service: \(Self.serviceID), environment: \(Self.environmentID), api-url: \"\(api.url)\" }"),
                context: CloudTestContext().context)
        }
        let message = try #require(error?.description)
        #expect(message == "railway.rollback: Railway API (HTTP 200): Not Authorized: Bearer *** is not valid for this project")
    }

    @Test func aMissingTokenIsAClearError() async throws {
        let error = await #expect(throws: DriverError.self) {
            try await RailwayRollbackDriver(environment: ["RAILWAY_API_TOKEN": ""]).run(
                try params("{ service: api, deployment: dep-1, api-url: \"http://127.0.0.1:9/graphql\" }"), context: CloudTestContext().context)
        }
        #expect(error?.description == "railway.rollback: the API token variable RAILWAY_API_TOKEN is not set")
    }
}
